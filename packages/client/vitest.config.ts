import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Self-imports ("@mcp-token/client" in examples and tests) run the sources, not dist/ (the
  // "@mcp-token/source" export condition, as in tsconfig.base.json), with vitest's default
  // conditions (vite's without "module").
  ssr: {
    resolve: { conditions: ["@mcp-token/source", ...defaultServerConditions.filter((c) => c !== "module")] },
  },
  test: {
    // The end-to-end file starts a whole local stack (issuer, moto, broker, MCP server); on a busy
    // 2-core CI machine that can take longer than vitest's 10 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
