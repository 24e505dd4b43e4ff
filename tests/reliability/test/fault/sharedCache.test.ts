/**
 * Shared-cache (DynamoDB) faults. Two broker instances (each its own runtime and memory cache) sit
 * behind one Function URL and share the cache table on moto_server, reached through a fault proxy.
 * The tier's contract: a store that fails, throttles or hangs never reaches the caller; the broker
 * falls back to the issuer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { type BrokerStack, STACK, startBrokerStack } from "../../src/stack/brokerStack.js";
import { standardCallers } from "../../src/traffic/callers.js";
import type { FaultFigures } from "../../src/traffic/faultReport.js";
import { runFaultScenario } from "../../src/traffic/scenario.js";
import { type Caller, waitFor } from "../../src/traffic/traffic.js";

const audit = new LeakAudit("fault-shared-cache");
let stack: BrokerStack;
let callers: Caller[];
const results: FaultFigures[] = [];
const WINDOW_MS = 2500;

beforeAll(async () => {
  stack = await startBrokerStack({ audit, tokenLifetimeSeconds: 2, instances: 2, sharedCache: true });
  callers = standardCallers(stack, STACK.region, audit);
});

afterAll(async () => {
  await stack?.close();
  const scan = audit.scan();
  writeResult("fault-shared-cache", "fault", "test/fault/sharedCache.test.ts", {
    faults: results,
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

async function scenario(
  fault: string,
  description: string,
  mode: "down" | "throttle",
): Promise<FaultFigures> {
  const proxy = stack.tableProxy;
  if (!proxy) throw new Error("no shared cache");
  // A store failure makes the tier stand aside for 5 s; start once the broker uses the table again.
  const forwarded = proxy.counts().forwarded;
  await waitFor(
    async () => {
      await callers[0]?.call();
      return proxy.counts().forwarded > forwarded;
    },
    10_000,
    100,
  );
  const before = { issued: stack.issuer.issued(), table: proxy.counts() };
  let during = { issued: 0, tableRequestsRefused: 0 };
  const f = await runFaultScenario({
    fault,
    description,
    callers,
    windowMs: WINDOW_MS,
    inject: () => proxy.mode(mode),
    clear: () => {
      const now = proxy.counts();
      during = {
        issued: stack.issuer.issued() - before.issued,
        tableRequestsRefused: now.reset + now.throttled - before.table.reset - before.table.throttled,
      };
      proxy.mode("pass");
    },
    notes: () => ({ duringFault: during, tokenLifetimeSeconds: 2, brokerInstances: 2 }),
  });
  const { samples: _s, ...rest } = f;
  results.push(rest);
  return rest;
}

describe("shared cache table faults", () => {
  it("keeps every caller served while the table is unreachable (the broker falls back to the issuer)", async () => {
    const f = await scenario(
      "shared-cache-table-down",
      "every connection to the DynamoDB cache table reset (fault proxy in front of moto)",
      "down",
    );
    expect(f.failedWithValidCache).toBe(0);
    expect(f.survived).toBe(true);
    expect(Object.keys(f.seen.broker ?? {})).toEqual(["200"]);
    expect(Object.keys(f.seen.client ?? {})).toEqual(["ok"]);
  });

  it("keeps every caller served while the table throttles", async () => {
    const f = await scenario(
      "shared-cache-table-throttled",
      "every DynamoDB call answered ThrottlingException by the fault proxy",
      "throttle",
    );
    expect(f.failedWithValidCache).toBe(0);
    expect(f.survived).toBe(true);
    expect(Object.keys(f.seen.broker ?? {})).toEqual(["200"]);
    expect(Object.keys(f.seen.client ?? {})).toEqual(["ok"]);
  });

  it("never writes a token or the client secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
