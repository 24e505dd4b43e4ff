/** The worker side of `startNodeWorker`: input from `BENCH_INPUT`, results as JSON lines on fd 3. */
import { writeSync } from "node:fs";

/** Parses the JSON in `BENCH_INPUT`. */
export function workerInput<T>(): T {
  const raw = process.env.BENCH_INPUT;
  if (!raw) throw new Error("BENCH_INPUT is not set; this file is started by the benchmark runner");
  return JSON.parse(raw) as T;
}

/** Sends one message to the runner. */
export function sendResult(message: unknown): void {
  writeSync(3, `${JSON.stringify(message)}\n`);
}

/** Reports an error to the runner and exits 1. */
export function failWorker(error: unknown): never {
  try {
    sendResult({ error: error instanceof Error ? error.message : String(error) });
  } catch {
    // the pipe is gone
  }
  process.exit(1);
}
