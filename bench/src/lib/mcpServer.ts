/** The MCP server bundle (the container's entry point) as a child process on a free loopback port. */
import { freePort, MCP_SERVER_BUNDLE } from "@mcp-token/local";
import { cleanEnv, startNodeWorker } from "./children.js";
import type { Scope } from "./scope.js";

/** A running MCP server child. */
export interface McpServerChild {
  /** `http://127.0.0.1:PORT/mcp`. */
  mcpUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `node apps/mcp-server/dist/main.mjs` with `env` (MCP_AUTH, AUTH_*), HOST 127.0.0.1 and a free
 * PORT, its request logs discarded, and resolves once `GET /ping` answers (at most 15 s).
 */
export async function startMcpServerChild(
  scope: Scope,
  env: Record<string, string>,
): Promise<McpServerChild> {
  const port = await freePort();
  const worker = startNodeWorker(scope, MCP_SERVER_BUNDLE, [], {
    env: cleanEnv({ ...env, HOST: "127.0.0.1", PORT: String(port) }),
    stderr: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (worker.child.exitCode !== null) throw new Error(`the MCP server (${env.MCP_AUTH}) exited at start`);
    const up = await fetch(`${base}/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await worker.stop();
      throw new Error(`the MCP server (${env.MCP_AUTH}) did not answer /ping within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { mcpUrl: `${base}/mcp`, stop: () => worker.stop() };
}

/** A `tools/call` of the `add` tool, as JSON-RPC text. */
export const ADD_CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "add", arguments: { a: 1, b: 2 } },
});

/** Headers of a Streamable HTTP POST. */
export const MCP_POST_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
} as const;
