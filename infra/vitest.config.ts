import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi-mocks test loads @pulumi/aws from .sst/platform (large); give it room on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
