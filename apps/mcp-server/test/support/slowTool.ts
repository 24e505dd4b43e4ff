import { setTimeout as sleep } from "node:timers/promises";
import * as z from "zod";
import type { ToolModule } from "../../src/index.js";

/**
 * Test-only tool: waits `ms` milliseconds, then answers. Passed to the server through the `tools`
 * option of `startServer`; production builds never register it.
 */
export function slowTool(onStart?: () => void): ToolModule {
  return {
    name: "slow",
    register(server) {
      server.registerTool(
        "slow",
        {
          description: "Waits, then answers (tests only).",
          inputSchema: z.object({ ms: z.number().int().min(0) }),
        },
        async ({ ms }) => {
          onStart?.();
          await sleep(ms);
          return { content: [{ type: "text", text: `slept ${ms} ms` }] };
        },
      );
    },
  };
}
