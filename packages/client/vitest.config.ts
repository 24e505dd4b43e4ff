import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The end-to-end file starts a whole local stack (issuer, moto, broker, MCP server); on a busy
    // 2-core CI machine that can take longer than vitest's 10 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
