/**
 * Secrets Manager faults. The broker reads its client secret through the AWS SDK from moto_server
 * behind a loopback fault proxy (moto cannot throttle or go down on demand, so outages and throttling
 * are injected at the HTTP layer under the SDK: src/stack/awsFaultProxy.ts). The secret cache lives 1 s
 * and tokens 2 s, so every issuance during a fault needs Secrets Manager.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import {
  type BrokerStack,
  randomClientSecret,
  STACK,
  startBrokerStack,
} from "../../src/stack/brokerStack.js";
import { secretsManagerCall } from "../../src/stack/motoCalls.js";
import { standardCallers } from "../../src/traffic/callers.js";
import type { FaultFigures } from "../../src/traffic/faultReport.js";
import { runFaultScenario } from "../../src/traffic/scenario.js";
import type { Caller } from "../../src/traffic/traffic.js";

const audit = new LeakAudit("fault-secrets");
let stack: BrokerStack;
let callers: Caller[];
const results: FaultFigures[] = [];
const WINDOW_MS = 2500;

beforeAll(async () => {
  stack = await startBrokerStack({ audit, tokenLifetimeSeconds: 2 });
  callers = standardCallers(stack, STACK.region, audit);
});

afterAll(async () => {
  await stack?.close();
  const scan = audit.scan();
  writeResult("fault-secrets", "fault", "test/fault/secrets.test.ts", {
    faults: results,
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

function record(figures: FaultFigures & { samples?: unknown }): FaultFigures {
  const { samples: _samples, ...rest } = figures;
  results.push(rest);
  return rest;
}

function expectSurvived(f: FaultFigures, allowed: string[]): void {
  expect(f.failedWithValidCache).toBe(0);
  expect(f.survived).toBe(true);
  expect(f.recoveryMs).toBeLessThan(6000);
  const codes = Object.values(f.seen).flatMap((byCode) => Object.keys(byCode));
  for (const code of codes) expect(["200", "ok", ...allowed]).toContain(code);
}

const sm = () => {
  const proxy = stack.secretsProxy;
  const moto = stack.moto;
  if (!proxy || !moto) throw new Error("the stack runs without Secrets Manager");
  return { proxy, moto };
};

describe("Secrets Manager faults", () => {
  it("serves cached tokens while Secrets Manager is unreachable, then recovers", async () => {
    const { proxy } = sm();
    const f = record(
      await runFaultScenario({
        fault: "secrets-manager-down",
        description: "every connection to Secrets Manager reset (fault proxy in front of moto)",
        callers,
        windowMs: WINDOW_MS,
        inject: () => proxy.mode("down"),
        clear: () => proxy.mode("pass"),
        notes: () => ({ proxy: proxy.counts() }),
      }),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("serves cached tokens while Secrets Manager throttles, then recovers", async () => {
    const { proxy } = sm();
    const f = record(
      await runFaultScenario({
        fault: "secrets-manager-throttled",
        description: "every GetSecretValue answered ThrottlingException (HTTP 400) by the fault proxy",
        callers,
        windowMs: WINDOW_MS,
        inject: () => proxy.mode("throttle"),
        clear: () => proxy.mode("pass"),
        notes: () => ({ proxy: proxy.counts() }),
      }),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("serves cached tokens while the secret is scheduled for deletion, then recovers once it is restored", async () => {
    const { moto } = sm();
    const f = record(
      await runFaultScenario({
        fault: "secret-deleted",
        description: "DeleteSecret (7-day recovery window) on moto, then RestoreSecret",
        callers,
        windowMs: WINDOW_MS,
        inject: () =>
          secretsManagerCall(moto.endpoint, STACK.region, "DeleteSecret", {
            SecretId: stack.secretId,
            RecoveryWindowInDays: 7,
          }),
        clear: () =>
          secretsManagerCall(moto.endpoint, STACK.region, "RestoreSecret", { SecretId: stack.secretId }),
      }),
    );
    // A secret the broker cannot read is an operator problem: 500 internal_error, details in the log.
    expectSurvived(f, ["500 internal_error"]);
  });

  it("keeps serving through a client-secret rotation done issuer-first, then Secrets Manager", async () => {
    const { moto } = sm();
    const fresh = randomClientSecret();
    audit.sensitive(fresh);
    const f = record(
      await runFaultScenario({
        fault: "secret-rotated",
        description:
          "issuer rotates the client secret (old one refused at once), Secrets Manager gets the new value 500 ms later",
        callers,
        windowMs: 500,
        inject: () => stack.issuer.rotateSecret(STACK.clientId, fresh),
        clear: () => moto.putSecretValue(stack.secretId, { client_id: STACK.clientId, client_secret: fresh }),
        notes: () => ({ issued: stack.issuer.issued() }),
      }),
    );
    expectSurvived(f, ["502 upstream_rejected"]);
  });

  it("never writes an issued token or a client secret to a log", () => {
    const scan = audit.scan();
    expect(scan.lines).toBeGreaterThan(100);
    expect(scan.leaks).toEqual([]);
  });
});
