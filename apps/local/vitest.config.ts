import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Each file starts a whole stack; running them one at a time keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
