import type { Clock } from "@mcp-token/core";
import type { McpServer } from "@modelcontextprotocol/server";

/** What tools may use besides their arguments and the request context. */
export interface ToolDeps {
  clock: Clock;
}

/**
 * One tool: a name and a function that registers it on a fresh per-request `McpServer`.
 * Adding a tool is adding one file exporting a `ToolModule` and one line in `tools/index.ts`.
 */
export interface ToolModule {
  readonly name: string;
  register(server: McpServer, deps: ToolDeps): void;
}
