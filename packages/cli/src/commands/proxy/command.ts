import { UsageError } from "../../errors.js";
import { type BrokerOptions, resolveBrokerOptions } from "../../options/broker.js";
import { type McpTarget, parseMcpTarget } from "../../options/mcpTarget.js";
import type { CommandSpec } from "../types.js";

export interface ProxyOptions extends BrokerOptions {
  /** The remote Streamable HTTP endpoint (URL or AgentCore runtime ARN). */
  target: McpTarget;
}

/** `mcp-token proxy`: help and parsing data. */
export const proxyCommand: CommandSpec<ProxyOptions> = {
  name: "proxy",
  summary: "Run a stdio MCP server that forwards to a remote MCP server with fresh tokens",
  description:
    "Reads JSON-RPC messages (one per line) on stdin and forwards each to the remote Streamable HTTP endpoint with a fresh bearer token; writes every response and server message (including those on SSE streams) to stdout, one per line. Refreshes tokens ahead of expiry; on 401/403 refetches the token and retries once; on 404 for a lost session re-initialises and retries once; on 429 (and on 503 for requests safe to resend) waits as Retry-After asks, up to 5 s, and retries once. Logs go to stderr. When stdin closes, requests in flight still get their answers (up to 10 s), then it exits 0.",
  positionals: [
    { name: "target", description: "MCP endpoint URL, or an AgentCore runtime ARN", required: true },
  ],
  options: [
    {
      name: "qualifier",
      type: "string",
      value: "<name>",
      description: "AgentCore endpoint qualifier (with a runtime ARN)",
      default: "DEFAULT",
    },
  ],
  usesBroker: true,
  examples: [
    {
      command:
        "claude mcp add my-server -- mcp-token proxy https://mcp.example.com/mcp --broker https://abc123.lambda-url.us-west-2.on.aws/ --aws-profile dev",
      description: "Add a remote server to Claude Code through the proxy",
    },
    {
      command: "mcp-token proxy arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/my_server-AbC123",
      description: "Proxy to an AgentCore runtime (invocation URL built from the ARN)",
    },
  ],
  normalize(args, env) {
    const target = args.positionals[0];
    if (!target)
      throw new UsageError("missing <target>: an MCP endpoint URL or an AgentCore runtime ARN", "proxy");
    if (args.positionals.length > 1)
      throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[1])}`, "proxy");
    return {
      ...resolveBrokerOptions(args, env, "proxy"),
      target: parseMcpTarget(target, args.values.qualifier, "proxy"),
    };
  },
};
