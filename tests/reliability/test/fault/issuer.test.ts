/**
 * Issuer faults, end to end: callers → SigV4 → Function URL emulator → broker runtime → testkit issuer
 * (faults injected in front of it). Tokens live 2 s, so each 2.5 s fault outlasts the cached token:
 * callers are first served from cache, then refused with the documented error, then served again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { type BrokerStack, STACK, startBrokerStack } from "../../src/stack/brokerStack.js";
import { standardCallers } from "../../src/traffic/callers.js";
import type { FaultFigures } from "../../src/traffic/faultReport.js";
import { runFaultScenario } from "../../src/traffic/scenario.js";
import type { Caller } from "../../src/traffic/traffic.js";

const audit = new LeakAudit("fault-issuer");
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
  const leaks = audit.scan();
  writeResult("fault-issuer", "fault", "test/fault/issuer.test.ts", {
    faults: results,
    logLines: leaks.lines,
    leaks: leaks.leaks.length,
  });
});

async function scenario(
  fault: string,
  description: string,
  inject: () => unknown,
  clear: () => unknown,
): Promise<FaultFigures> {
  const before = stack.issuer.requests();
  let during = 0;
  const figures = await runFaultScenario({
    fault,
    description,
    callers,
    windowMs: WINDOW_MS,
    inject,
    clear: () => {
      during = stack.issuer.requests() - before;
      return clear();
    },
    notes: () => ({ issuerRequestsDuringFault: during, issued: stack.issuer.issued() }),
  });
  const { samples: _samples, ...rest } = figures;
  results.push(rest);
  return rest;
}

function expectSurvived(f: FaultFigures, allowed: string[]): void {
  // Assess: never a failure while a valid token was cached; every caller served again; bounded recovery.
  expect(f.failedWithValidCache).toBe(0);
  expect(f.survived).toBe(true);
  expect(f.recoveryMs).toBeLessThan(6000);
  const codes = Object.values(f.seen).flatMap((byCode) => Object.keys(byCode));
  for (const code of codes) expect(["200", "ok", ...allowed]).toContain(code);
}

describe("issuer faults", () => {
  it("serves cached tokens while the issuer is slower than the broker's timeouts, then recovers", async () => {
    const f = await scenario(
      "issuer-slow",
      "issuer answers after 1.2 s (broker: 400 ms to first byte, 3 attempts, 1.5 s deadline)",
      () => stack.issuer.faults.latency(1200),
      () => stack.issuer.faults.latency(0),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("serves cached tokens through a 429 storm, honouring Retry-After, then recovers", async () => {
    const f = await scenario(
      "issuer-429-storm",
      "every token request answered 429 too_many_requests, Retry-After: 1",
      () => stack.issuer.faults.rateLimit(100_000, 1),
      () => stack.issuer.faults.reset(),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
    // Assess: bounded retries, no retry storm: at most 3 attempts per issuance, one issuance at a time.
    expect(f.notes?.issuerRequestsDuringFault as number).toBeLessThan(30);
  });

  it("serves cached tokens through issuer 5xx answers, then recovers", async () => {
    const f = await scenario(
      "issuer-5xx",
      "every token request answered 500 server_error / 503 temporarily_unavailable, alternating",
      () => {
        for (let i = 0; i < 500; i++) {
          stack.issuer.faults.fail(1, 500);
          stack.issuer.faults.fail(1, 503);
        }
      },
      () => stack.issuer.faults.reset(),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("serves cached tokens while the issuer resets every connection, then recovers when it is back", async () => {
    const f = await scenario(
      "issuer-down",
      "issuer resets every connection (down), then comes back (up)",
      () => stack.issuer.faults.down(),
      () => stack.issuer.faults.up(),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("serves cached tokens while the issuer drops token requests mid-flight, then recovers", async () => {
    const f = await scenario(
      "issuer-drop",
      "issuer destroys the socket of every token request without answering",
      () => stack.issuer.faults.drop(100_000),
      () => stack.issuer.faults.reset(),
    );
    expectSurvived(f, ["503 upstream_unavailable"]);
  });

  it("never writes an issued token or the client secret to a log", () => {
    const scan = audit.scan();
    expect(scan.lines).toBeGreaterThan(100);
    expect(scan.leaks).toEqual([]);
  });
});
