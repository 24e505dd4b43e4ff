/**
 * A broker instance killed mid-request. Each instance is a child process running the production
 * bundle behind the Function URL emulator (src/stack/brokerProcess.ts); the test kills it with SIGKILL
 * while a request that needs the (slowed) issuer is in flight, and starts a new instance on the same
 * URL, as Lambda would on the next invocation.
 *
 * Raw broker callers have no cache of their own (the killed instance's memory cache is gone with it),
 * so they see the outage; client-library callers hold a valid token and must not notice.
 */
import { freePort } from "@mcp-token/local";
import { defaultIdentities, type LocalIssuer, type MotoServer, startMoto } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { type BrokerInstance, startBrokerInstance } from "../../src/stack/brokerChild.js";
import {
  brokerConfigDocument,
  FAST_BROKER_ENV,
  randomClientSecret,
  STACK,
  startSuiteIssuer,
} from "../../src/stack/brokerStack.js";
import { brokerCaller, brokerClientFor, clientCaller, errorCode } from "../../src/traffic/callers.js";
import type { FaultFigures } from "../../src/traffic/faultReport.js";
import { runFaultScenario } from "../../src/traffic/scenario.js";

const audit = new LeakAudit("fault-broker-kill");
let issuer: LocalIssuer;
let moto: MotoServer;
let instance: BrokerInstance | undefined;
let port: number;
let env: Record<string, string>;
const results: FaultFigures[] = [];
const ids = defaultIdentities({ accountId: STACK.accountId });

beforeAll(async () => {
  const clientSecret = randomClientSecret();
  audit.sensitive(clientSecret);
  [issuer, moto] = await Promise.all([
    startSuiteIssuer({ ttlSeconds: 4, clientSecret }),
    startMoto({ region: STACK.region }),
  ]);
  await moto.createSecret(STACK.secretName, { client_id: STACK.clientId, client_secret: clientSecret });
  port = await freePort();
  env = {
    ...moto.env(),
    ...FAST_BROKER_ENV,
    MCP_TOKEN_UPSTREAM_CONNECT_TIMEOUT_MS: "3000",
    MCP_TOKEN_UPSTREAM_TIMEOUT_MS: "3000",
    MCP_TOKEN_UPSTREAM_DEADLINE_MS: "5000",
    MCP_TOKEN_BROKER_CONFIG: JSON.stringify(
      brokerConfigDocument({ issuerUrl: issuer.url, secretId: STACK.secretName, extraProfiles: ["probe"] }),
    ),
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_SERVICE_NAME: "mcp-token-broker",
  };
  instance = await startBrokerInstance({ port, env, audit, source: "broker-instance-1" });
});

afterAll(async () => {
  await instance?.stop();
  await Promise.allSettled([issuer?.close(), moto?.stop()]);
  const scan = audit.scan();
  writeResult("fault-broker-kill", "fault", "test/fault/brokerKill.test.ts", {
    faults: results,
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

describe("broker instance killed mid-request", () => {
  it("gives the in-flight caller a clear error, keeps client callers served, and the next request succeeds on a new instance", async () => {
    // Prepare: steady callers; a probe on a profile with nothing cached, so its request waits on the issuer.
    const url = `http://127.0.0.1:${port}`;
    const base = { brokerUrl: url, region: STACK.region, audit };
    const callers = [
      brokerCaller({ ...base, name: "broker-dev", identity: ids.developer, cachedExpiry: () => undefined }),
      clientCaller({ ...base, name: "client-dev", identity: ids.developer }),
      clientCaller({ ...base, name: "client-agent", identity: ids.agent }),
    ];
    const probe = brokerClientFor(url, STACK.region, ids.agent);
    let probeError: unknown;
    let probeSettledAt = 0;
    let killedAt = 0;

    // Act
    const f = await runFaultScenario({
      fault: "broker-instance-killed",
      description:
        "SIGKILL of the broker instance (child process) while a token request waits on a slowed issuer; a new instance starts on the same URL",
      callers,
      windowMs: 0,
      inject: async () => {
        issuer.faults.latency(1000);
        const inFlight = probe.requestToken({ profile: "probe", minTtlSeconds: 0 }).then(
          () => undefined,
          (error: unknown) => {
            probeError = error;
          },
        );
        const settled = inFlight.finally(() => {
          probeSettledAt = Date.now();
        });
        await new Promise((r) => setTimeout(r, 300));
        killedAt = Date.now();
        await instance?.kill();
        await settled;
        issuer.faults.latency(0);
      },
      clear: async () => {
        instance = await startBrokerInstance({ port, env, audit, source: "broker-instance-2" });
      },
    });
    const { samples: _s, ...figures } = f;
    const next = await probe.requestToken({ profile: "probe", minTtlSeconds: 0 });
    audit.sensitive(next.access_token);
    figures.notes = {
      inFlightCaller: {
        saw: errorCode(probeError),
        message: (probeError as Error | undefined)?.message,
        msFromKillToError: probeSettledAt - killedAt,
        nextRequest: "200",
      },
      recoveryIncludes: "the new instance's cold start (process start, bundle load)",
    };
    results.push(figures);

    // Assess
    expect(errorCode(probeError)).toMatch(/^unreachable/);
    expect((probeError as Error).message).toContain("Could not reach the token broker");
    expect(probeSettledAt - killedAt).toBeLessThan(1000);
    expect(next.token_type).toBe("Bearer");
    expect(figures.failedWithValidCache).toBe(0);
    expect(figures.seen.client ?? {}).toEqual({ ok: expect.any(Number) });
    expect(figures.survived).toBe(true);
  });

  it("never writes an issued token or the client secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
