/**
 * Item 1: the broker's hot path: the production bundle's handler called in-process on a warm cache,
 * with Powertools audit and metrics lines written to a discarded stream, against a handler that
 * returns a constant response (the ratio is the cost of our logic).
 */
import { cleanEnv, startNodeWorker } from "../lib/children.js";
import { compileWorker } from "../lib/compileWorker.js";
import type { LoopSummary } from "../lib/loop.js";
import { gapText, row } from "../report.js";
import type { HotPathInput } from "../workers/hotPath.js";
import type { Suite } from "./types.js";

const TARGET_OPS = 50_000;

export const brokerHotPath: Suite = {
  id: "broker-hot-path",
  title: "broker hot path (in-process, warm cache)",
  timeoutMs: 60_000,
  async run(ctx) {
    const stack = await ctx.stack();
    const fixture = await ctx.fixture();
    const input: HotPathInput = {
      bundle: fixture.bundle,
      event: fixture.event,
      context: fixture.context,
      rounds: 2,
      roundMs: 2000,
      maxOpsPerRound: 400_000,
      warmupOps: 5000,
    };
    const issuedBefore = stack.issuer.issued({ audience: fixture.audience });
    const worker = startNodeWorker(ctx.scope, await compileWorker("hotPath"), [], {
      env: cleanEnv({ ...fixture.env, BENCH_INPUT: JSON.stringify(input) }),
    });
    const result = await worker.next<{
      ours: LoopSummary;
      constant: LoopSummary;
      failures: number;
      error?: string;
    }>(45_000);
    await worker.stop(5000);
    if (result.error) throw new Error(result.error);
    const issued = stack.issuer.issued({ audience: fixture.audience }) - issuedBefore;
    const note = `${result.ours.ops} calls in ${(result.ours.elapsedMs / 1000).toFixed(1)} s (${input.rounds} rounds interleaved with the baseline); ${result.failures} non-200; issuer calls during the run: ${issued}`;
    const baseline = "constant-response handler";
    return [
      row({
        id: this.id,
        metric: "token requests/s (warm cache, audit log to /dev/null)",
        value: result.ours.opsPerSecond,
        unit: "ops/s",
        baseline: { name: baseline, value: result.constant.opsPerSecond },
        target: `≥ ${TARGET_OPS.toLocaleString("en-US")} ops/s`,
        met: result.ours.opsPerSecond >= TARGET_OPS && result.failures === 0,
        note,
        ...(result.ours.opsPerSecond < TARGET_OPS && {
          gap: gapText("at-least", result.ours.opsPerSecond, TARGET_OPS, "ops/s"),
        }),
      }),
      row({
        id: this.id,
        metric: "p50 latency",
        value: result.ours.p50Ms * 1000,
        unit: "µs",
        baseline: { name: baseline, value: result.constant.p50Ms * 1000 },
        target: "reported",
      }),
      row({
        id: this.id,
        metric: "p99 latency",
        value: result.ours.p99Ms * 1000,
        unit: "µs",
        baseline: { name: baseline, value: result.constant.p99Ms * 1000 },
        target: "reported",
      }),
    ];
  },
};
