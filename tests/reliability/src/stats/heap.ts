/**
 * Heap measurements for the memory bounds. `forceGc` exposes V8's collector in this process
 * (`--expose-gc` set at run time, the `gc` function taken from a fresh context), so heap figures are
 * taken after full collections rather than at whatever point the collector happened to be.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** Runs a full garbage collection (twice, so finalizers' garbage goes too). */
export function forceGc(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  gc();
}

/** `heapUsed` in bytes after a full collection. */
export function heapAfterGc(): number {
  forceGc();
  return process.memoryUsage().heapUsed;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
