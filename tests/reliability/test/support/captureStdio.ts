/**
 * Vitest setup file: everything this test process writes to stdout, stderr or the console (in-process
 * Powertools loggers, stray prints) is captured into the run's log directory for the log audit, and
 * shown only with RELIABILITY_VERBOSE=1.
 */
import { appendFileSync } from "node:fs";
import { basename, join } from "node:path";
import { format } from "node:util";
import { logsDir } from "../../src/audit/runDir.js";

const file = join(logsDir(), `stdio-${basename(process.argv[1] ?? "worker")}-${process.pid}.log`);
const verbose = process.env.RELIABILITY_VERBOSE === "1";

const sink = (chunk: unknown) => {
  try {
    appendFileSync(file, typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array));
  } catch {
    // capture must never break a test
  }
};

for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    sink(chunk);
    if (verbose) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof stream.write;
}

for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    sink(`${format(...args)}\n`);
    if (verbose) original(...args);
  };
}
