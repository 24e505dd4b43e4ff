/**
 * The three ways a benchmark reaches the local MCP server: the MCP SDK v2 client directly with a
 * static bearer header, the same client through `mcp-token proxy` (stdio child), and through
 * `mcp-remote` from npm (stdio child, static `--header`). Each is closed with the scope.
 */
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CLI_BUNDLE, cliEnv, type LocalStack } from "@mcp-token/local";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { cleanEnv } from "./children.js";
import type { Scope } from "./scope.js";

/** A connected MCP client and what its child (if any) wrote on stderr. */
export interface ConnectedClient {
  client: Client;
  stderr(): string;
}

/** `node_modules/mcp-remote`'s executable (its `bin`). */
export function mcpRemoteBin(): string {
  return createRequire(import.meta.url).resolve("mcp-remote/dist/proxy.js");
}

async function connect(scope: Scope, transport: StdioClientTransport | StreamableHTTPClientTransport) {
  const client = new Client({ name: "mcp-token-bench", version: "0.1.0" });
  let stderr = "";
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4096);
    });
  }
  scope.defer(() => client.close());
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** The SDK client straight to `mcpUrl` with `Authorization: Bearer <token>` on every request. */
export function connectDirect(scope: Scope, mcpUrl: string, token: string): Promise<ConnectedClient> {
  return connect(
    scope,
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
}

/** The SDK client over stdio to `mcp-token proxy <mcpUrl>` as the stack's developer identity. */
export async function connectMcpTokenProxy(
  scope: Scope,
  stack: LocalStack,
  home: string,
): Promise<ConnectedClient> {
  await mkdir(join(home, "cache"), { recursive: true });
  return connect(
    scope,
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI_BUNDLE, "proxy", stack.info.mcp.url, "--aws-profile", "developer"],
      env: cliEnv(stack.info, { XDG_CACHE_HOME: join(home, "cache"), HOME: home }),
      stderr: "pipe",
    }),
  );
}

/** The SDK client over stdio to `mcp-remote <mcpUrl> --transport http-only --header "Authorization:Bearer …"`. */
export async function connectMcpRemote(
  scope: Scope,
  mcpUrl: string,
  token: string,
  home: string,
): Promise<ConnectedClient> {
  await mkdir(join(home, "mcp-auth"), { recursive: true });
  return connect(
    scope,
    new StdioClientTransport({
      command: process.execPath,
      args: [mcpRemoteBin(), mcpUrl, "--transport", "http-only", "--header", `Authorization:Bearer ${token}`],
      env: cleanEnv({ HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, "mcp-auth") }),
      stderr: "pipe",
    }),
  );
}

/** One `tools/call` of `add(1, 2)`; throws unless the answer is 3. */
export async function callAdd(client: Client): Promise<void> {
  const result = (await client.callTool({ name: "add", arguments: { a: 1, b: 2 } })) as {
    structuredContent?: { sum?: unknown };
    isError?: boolean;
  };
  if (result.isError || result.structuredContent?.sum !== 3)
    throw new Error("tools/call add(1, 2) did not return 3");
}
