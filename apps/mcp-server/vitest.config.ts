import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Other workspaces test concurrently on a 2-core machine: keep this suite lean.
    maxWorkers: 2,
  },
});
