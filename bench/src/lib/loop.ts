/**
 * A bounded measurement loop: runs an operation one call at a time (each awaited) until a count or a
 * time limit is reached, recording every call's latency.
 */
import { performance } from "node:perf_hooks";
import { percentile } from "../report.js";

/** Bounds of one loop: it stops at whichever comes first. */
export interface LoopBounds {
  maxOps: number;
  maxMs: number;
}

/** Raw outcome of one loop. */
export interface LoopRun {
  ops: number;
  elapsedMs: number;
  /** Latency of each call in milliseconds, in call order. */
  latenciesMs: Float64Array;
}

/** Throughput and latency of one or more loops of the same operation. */
export interface LoopSummary {
  ops: number;
  elapsedMs: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs `op` sequentially within `bounds`; the op's index is passed in. */
export async function timeLoop(op: (i: number) => unknown, bounds: LoopBounds): Promise<LoopRun> {
  const latencies = new Float64Array(bounds.maxOps);
  const started = performance.now();
  let ops = 0;
  let now = started;
  while (ops < bounds.maxOps && now - started < bounds.maxMs) {
    const t0 = now;
    await op(ops);
    now = performance.now();
    latencies[ops++] = now - t0;
  }
  return { ops, elapsedMs: now - started, latenciesMs: latencies.slice(0, ops) };
}

/**
 * Like {@link timeLoop}, but each call's input is built first by `prepare(i)` and its result handed to
 * `check(result, input)` afterwards, both outside the timed span: only `op` is timed, and `elapsedMs` is
 * the sum of the timed spans (so ops/s is the operation's own throughput). The bounds apply to wall time.
 */
export async function timePreparedLoop<I, R>(
  prepare: (i: number) => I,
  op: (input: I) => Promise<R> | R,
  check: (result: R, input: I) => void,
  bounds: LoopBounds,
): Promise<LoopRun> {
  const latencies = new Float64Array(bounds.maxOps);
  const started = performance.now();
  let ops = 0;
  let busyMs = 0;
  while (ops < bounds.maxOps && performance.now() - started < bounds.maxMs) {
    const input = prepare(ops);
    const t0 = performance.now();
    const result = await op(input);
    const ms = performance.now() - t0;
    latencies[ops++] = ms;
    busyMs += ms;
    check(result, input);
  }
  return { ops, elapsedMs: busyMs, latenciesMs: latencies.slice(0, ops) };
}

/** Combines the runs of one operation (e.g. interleaved rounds) into throughput and percentiles. */
export function summarize(runs: readonly LoopRun[]): LoopSummary {
  const ops = runs.reduce((n, r) => n + r.ops, 0);
  const elapsedMs = runs.reduce((n, r) => n + r.elapsedMs, 0);
  const all = new Float64Array(ops);
  let offset = 0;
  for (const r of runs) {
    all.set(r.latenciesMs, offset);
    offset += r.ops;
  }
  all.sort();
  return {
    ops,
    elapsedMs,
    opsPerSecond: elapsedMs > 0 ? (ops * 1000) / elapsedMs : 0,
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
  };
}
