/**
 * Throughput with a fixed number of operations in flight: `concurrency` loops each await one
 * operation at a time until a time or count limit is reached.
 */
import { performance } from "node:perf_hooks";

/** Completed operations per second with `concurrency` in flight, within `maxMs` and `maxOps`. */
export async function concurrentThroughput(
  op: () => Promise<unknown>,
  opts: { concurrency: number; maxMs: number; maxOps: number },
): Promise<{ ops: number; elapsedMs: number; opsPerSecond: number }> {
  const started = performance.now();
  let issued = 0;
  let done = 0;
  const lane = async () => {
    while (issued < opts.maxOps && performance.now() - started < opts.maxMs) {
      issued++;
      await op();
      done++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  const elapsedMs = performance.now() - started;
  return { ops: done, elapsedMs, opsPerSecond: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0 };
}
