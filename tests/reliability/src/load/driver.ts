/**
 * A bounded load driver: `total` calls spread over `concurrency` workers, each call timed; the answer
 * is the outcome histogram, throughput and latency percentiles.
 */
import { Histogram } from "../stats/histogram.js";
import type { CallResult } from "../traffic/traffic.js";

/** What a load run measured. */
export interface LoadFigures {
  requests: number;
  concurrency: number;
  errors: number;
  outcomes: Record<string, number>;
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length));
  return Math.round((sorted[i] as number) * 100) / 100;
}

/** Runs `total` calls of `call` with `concurrency` in flight. */
export async function runLoad(opts: {
  total: number;
  concurrency: number;
  call: (i: number) => Promise<CallResult>;
}): Promise<LoadFigures> {
  const outcomes = new Histogram();
  const latencies = new Float64Array(opts.total);
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = issued++;
      if (i >= opts.total) return;
      const t0 = performance.now();
      let result: CallResult;
      try {
        result = await opts.call(i);
      } catch (error) {
        result = { ok: false, code: `threw ${(error as Error)?.name ?? "error"}` };
      }
      latencies[i] = performance.now() - t0;
      outcomes.add(result.code);
      if (!result.ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = Math.round(performance.now() - started);
  latencies.sort();
  return {
    requests: opts.total,
    concurrency: opts.concurrency,
    errors,
    outcomes: outcomes.toJSON(),
    durationMs,
    requestsPerSecond: Math.round((opts.total / durationMs) * 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
  };
}
