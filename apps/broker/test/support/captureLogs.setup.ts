/** Vitest setup file: tee stdout, stderr and console output of this test file into $BROKER_LOG_DIR. */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";
import { logDir } from "./logs.js";

const file = join(logDir(), `output-${process.pid}-${Date.now()}.log`);
const forward = process.env.BROKER_TEST_LOGS === "1";

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
    if (forward) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof stream.write;
}

for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    sink(`${format(...args)}\n`);
    if (forward || method === "error") original(...args);
  };
}
