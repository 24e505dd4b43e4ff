import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // End-to-end files each start a local stack and time child processes: one file at a time keeps
    // timings honest on small CI machines.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
