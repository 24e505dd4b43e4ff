import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // @mcp-token/client's exports point at its built dist/ for users; here tests run its sources
  // (the "@mcp-token/source" condition, as in tsconfig.base.json and scripts/bundle.mjs), with
  // vitest's default conditions (vite's without "module").
  ssr: {
    resolve: { conditions: ["@mcp-token/source", ...defaultServerConditions.filter((c) => c !== "module")] },
  },
  test: {
    // End-to-end files each start a local stack and time child processes: one file at a time keeps
    // timings honest on small CI machines.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
