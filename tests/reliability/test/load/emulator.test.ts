/**
 * Bounded soak through the Function URL emulator and the broker: SigV4-signed `POST /v1/token`
 * requests at a fixed concurrency against the production runtime (issuer and Secrets Manager real,
 * tokens cached after the first issuance), counting every answer, with the heap measured after full
 * collections: after warm-up, and after the soak.
 *
 * Requests are signed with the suites' own `node:crypto` signer (src/aws/signV4.ts): the client
 * library's pure-JavaScript SHA-256 would make the load generator, not the system, the bottleneck on
 * a 2-core machine. The client library itself is exercised by the fault suites.
 *
 * CI runs RELIABILITY_LOAD_REQUESTS=20000 by default (about 30 s on 2 cores); the 100,000-request run
 * is `RELIABILITY_LOAD_REQUESTS=100000 npm test -w @mcp-token/reliability -- test/load/emulator.test.ts`
 * and writes its own figures file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { signV4 } from "../../src/aws/signV4.js";
import { commandFor, writeResult } from "../../src/figures/results.js";
import { type LoadFigures, runLoad } from "../../src/load/driver.js";
import { type BrokerStack, STACK, startBrokerStack } from "../../src/stack/brokerStack.js";
import { heapAfterGc, mib } from "../../src/stats/heap.js";

const DEFAULT_REQUESTS = 20_000;
const REQUESTS = Number(process.env.RELIABILITY_LOAD_REQUESTS ?? DEFAULT_REQUESTS);
const CONCURRENCY = Number(process.env.RELIABILITY_LOAD_CONCURRENCY ?? 100);
const WARMUP = 2_000;
const audit = new LeakAudit("load-emulator");
let stack: BrokerStack;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  stack = await startBrokerStack({ audit, tokenLifetimeSeconds: 3600, minTtlSeconds: 60 });
});

afterAll(async () => {
  await stack?.close();
  const scan = audit.scan();
  const name = REQUESTS === DEFAULT_REQUESTS ? "load-emulator" : `load-emulator-${REQUESTS}`;
  writeResult(
    name,
    "load",
    "test/load/emulator.test.ts",
    {
      path: "SigV4 request → Function URL emulator (signature verified) → broker runtime (memory cache hit)",
      ...figures,
      logLines: scan.lines,
      leaks: scan.leaks.length,
    },
    REQUESTS === DEFAULT_REQUESTS
      ? undefined
      : `RELIABILITY_LOAD_REQUESTS=${REQUESTS} ${commandFor("test/load/emulator.test.ts")}`,
  );
});

function tokenRequest(identityIndex: number) {
  const url = new URL(stack.emulator.url);
  const identity = identityIndex % 2 === 0 ? stack.identities.developer : stack.identities.agent;
  const body = JSON.stringify({ profile: "default" });
  return async () => {
    const { host: _host, ...headers } = signV4(
      {
        method: "POST",
        host: url.host,
        path: "/v1/token",
        headers: { "content-type": "application/json" },
        body,
      },
      identity,
      STACK.region,
    );
    const res = await fetch(`${stack.emulator.url}/v1/token`, { method: "POST", headers, body });
    const json = (await res.json()) as { access_token?: string; error?: string };
    if (res.ok && json.access_token) {
      audit.sensitive(json.access_token);
      return { ok: true, code: "200" };
    }
    return { ok: false, code: `${res.status} ${json.error ?? ""}`.trim() };
  };
}

describe("load through the emulator and the broker", () => {
  it(`serves ${REQUESTS} signed token requests at concurrency ${CONCURRENCY} with zero errors and a stable heap`, async () => {
    // Prepare: warm up (first issuance, JIT, connection pool), then the baseline heap.
    const calls = [tokenRequest(0), tokenRequest(1)];
    const warm = await runLoad({
      total: WARMUP,
      concurrency: CONCURRENCY,
      call: (i) => (calls[i % 2] as () => Promise<{ ok: boolean; code: string }>)(),
    });
    const heapWarm = heapAfterGc();
    const issuedBefore = stack.issuer.issued();

    // Act
    const load: LoadFigures = await runLoad({
      total: REQUESTS,
      concurrency: CONCURRENCY,
      call: (i) => (calls[i % 2] as () => Promise<{ ok: boolean; code: string }>)(),
    });
    const heapAfter = heapAfterGc();

    // Assess
    Object.assign(figures, {
      ...load,
      ...(REQUESTS !== DEFAULT_REQUESTS && { onDemand: true }),
      warmupRequests: WARMUP,
      warmupErrors: warm.errors,
      heapAfterWarmupMiB: mib(heapWarm),
      heapAfterSoakMiB: mib(heapAfter),
      heapRatio: Math.round((heapAfter / heapWarm) * 1000) / 1000,
      heapBoundRatio: 1.2,
      rssMiB: mib(process.memoryUsage().rss),
      issuerTokensIssuedDuringSoak: stack.issuer.issued() - issuedBefore,
      emulatorInvocations: stack.emulator.invocations(),
    });
    expect(warm.errors).toBe(0);
    expect(load.errors).toBe(0);
    expect(heapAfter).toBeLessThanOrEqual(heapWarm * 1.2);
  });

  it("never writes a token or the client secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
