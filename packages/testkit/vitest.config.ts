import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 15_000,
    hookTimeout: 30_000,
    // Suites start real servers and child processes; keep CPU use low next to other packages.
    fileParallelism: false,
  },
});
