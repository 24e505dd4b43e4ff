import { McpServer, type McpServerFactory } from "@modelcontextprotocol/server";
import type { ToolDeps, ToolModule } from "../tools/types.js";

/** Name and version the server reports in `initialize` / `server/discover`. */
export const SERVER_INFO = { name: "mcp-token-server", version: "0.1.0" } as const;

/** A factory building a fresh `McpServer` with every tool for each request (stateless serving). */
export function createMcpServerFactory(tools: readonly ToolModule[], deps: ToolDeps): McpServerFactory {
  return () => {
    const server = new McpServer(SERVER_INFO, {
      instructions: "Demo MCP server of mcp-token: `add` adds numbers, `whoami` shows the verified caller.",
    });
    for (const tool of tools) tool.register(server, deps);
    return server;
  };
}
