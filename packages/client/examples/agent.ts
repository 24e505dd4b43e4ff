// A Node agent that calls an MCP server protected by mcp-token: AWS credentials (the standard
// provider chain: SSO, profiles, env, ECS/EC2 roles) → broker → short-lived bearer token, refreshed
// ahead of expiry, with the MCP TypeScript SDK v2 client. Shown in docs/CLIENTS.md and run by
// test/e2e/agent.test.ts against the local stack.
//
//   MCP_TOKEN_BROKER_URL=https://<id>.lambda-url.<region>.on.aws/ MCP_URL=https://… \
//     node --import tsx examples/agent.ts
import { fileURLToPath } from "node:url";
import { createAuthenticatedFetch, createTokenSource } from "@mcp-token/client";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

export interface AgentOptions {
  brokerUrl: string;
  mcpUrl: string;
  /** Broker profile; default "default". */
  profile?: string;
  /** AWS shared-config profile; default: AWS_PROFILE or the default chain. */
  awsProfile?: string;
  /** Only for brokers that are not behind a Function URL host (local stacks). */
  region?: string;
}

/** Connects, lists the tools and calls `add`; returns what it saw. */
export async function runAgent(options: AgentOptions): Promise<{ tools: string[]; sum: unknown }> {
  const tokens = createTokenSource({
    brokerUrl: options.brokerUrl,
    profile: options.profile ?? "default",
    ...(options.awsProfile ? { awsProfile: options.awsProfile } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  const transport = new StreamableHTTPClientTransport(new URL(options.mcpUrl), {
    // A fresh token on every request; on 401 or 403 (AgentCore has been reported to answer 403 for
    // expired tokens) the token is dropped, refetched and the request retried once. The SDK-native
    // alternative, 401 only: `authProvider: createAuthProvider(tokens)`.
    fetch: createAuthenticatedFetch(tokens),
    requestInit: { headers: { "user-agent": "my-agent/1.0" } },
  });
  const client = new Client({ name: "my-agent", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
    return {
      tools: tools.map((t) => t.name),
      sum: (result.structuredContent as { sum?: unknown } | undefined)?.sum,
    };
  } finally {
    await client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { MCP_TOKEN_BROKER_URL, MCP_URL, MCP_TOKEN_PROFILE, AWS_PROFILE } = process.env;
  if (!MCP_TOKEN_BROKER_URL || !MCP_URL) throw new Error("set MCP_TOKEN_BROKER_URL and MCP_URL");
  console.log(
    await runAgent({
      brokerUrl: MCP_TOKEN_BROKER_URL,
      mcpUrl: MCP_URL,
      ...(MCP_TOKEN_PROFILE ? { profile: MCP_TOKEN_PROFILE } : {}),
      ...(AWS_PROFILE ? { awsProfile: AWS_PROFILE } : {}),
    }),
  );
}
