import { McpServer, type McpServerFactory, type ServerContext } from "@modelcontextprotocol/server";
import { requestAuthOf } from "../auth/authInfo.js";
import { type Logger, silentLogger } from "../log.js";
import type { ToolDeps, ToolModule } from "../tools/types.js";

/** Name and version the server reports in `initialize` / `server/discover`. */
export const SERVER_INFO = { name: "mcp-token-server", version: "0.1.0" } as const;

/**
 * A factory building a fresh `McpServer` with every tool for each request (stateless serving). Every
 * tool call writes one `tool call` log line naming the tool and the verified caller: the token's
 * fingerprint (the join key with the broker's audit line), its client id and subject, and for
 * per-caller tokens the IAM caller. Never an argument, never the token.
 */
export function createMcpServerFactory(
  tools: readonly ToolModule[],
  deps: ToolDeps,
  logger: Logger = silentLogger,
): McpServerFactory {
  return () => {
    const server = new McpServer(SERVER_INFO, {
      instructions: "Demo MCP server of mcp-token: `add` adds numbers, `whoami` shows the verified caller.",
    });
    logToolCalls(server, logger);
    for (const tool of tools) tool.register(server, deps);
    return server;
  };
}

/**
 * Wraps `server.registerTool` so each registered handler logs its call first. The handler's context is
 * its last argument (after the parsed arguments when the tool has an input schema).
 */
function logToolCalls(server: McpServer, logger: Logger): void {
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  const wrapped = (name: string, config: unknown, handler: (...args: unknown[]) => unknown) =>
    register(name, config, (...args: unknown[]) => {
      const ctx = args[args.length - 1] as Pick<ServerContext, "http"> | undefined;
      const caller = ctx ? requestAuthOf(ctx)?.caller : undefined;
      const token = caller?.verified ? caller.token : undefined;
      logger.info("tool call", {
        tool: name,
        tokenFingerprint: caller?.verified ? caller.tokenFingerprint : undefined,
        clientId: token?.clientId,
        subject: token?.subject,
        caller: token?.caller?.caller,
        callerSession: token?.caller?.session,
      });
      return handler(...args);
    });
  server.registerTool = wrapped as unknown as McpServer["registerTool"];
}
