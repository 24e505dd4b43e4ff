// Preloaded into child processes started with `--expose-gc --import <this file>`: on SIGUSR2, run a
// full collection and print `[heap-probe] <heapUsed bytes>` on stderr, so a suite can measure the
// heap of a process it does not control (the CLI proxy) without changing that process.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  process.stderr.write(`[heap-probe] ${process.memoryUsage().heapUsed}\n`);
});
