import { UsageError } from "../../errors.js";
import { type BrokerOptions, resolveBrokerOptions } from "../../options/broker.js";
import { type McpTarget, parseMcpTarget } from "../../options/mcpTarget.js";
import type { CommandSpec } from "../types.js";

export interface DoctorOptions extends BrokerOptions {
  /** MCP endpoint (URL or AgentCore runtime ARN) to try the token on, if given. */
  target: McpTarget | undefined;
  json: boolean;
}

/** `mcp-token doctor`: help and parsing data. */
export const doctorCommand: CommandSpec<DoctorOptions> = {
  name: "doctor",
  summary: "Check credentials, broker, token and (optionally) the MCP server, and explain what is wrong",
  description:
    "Runs each check and prints ✓ or ✗ with a one-line fix: AWS credentials and whose they are, the broker reachable and you authorised for the profile, a token obtained and its claims (issuer, audience, client id claim, lifetime), known pitfalls (no client_id claim, audience mismatch, lifetimes over 24 h), the caller identity of per-caller profiles, and, given an MCP URL, that the server initialises and lists tools with the token. With --source sts it checks the STS path instead of the broker: which source it used, a token from GetWebIdentityToken (naming federation not enabled, a missing permission or the global endpoint), its audience and the principal it names. Exits 1 if any check fails.",
  positionals: [
    { name: "target", description: "MCP endpoint URL or AgentCore runtime ARN to test", required: false },
  ],
  options: [
    {
      name: "qualifier",
      type: "string",
      value: "<name>",
      description: "AgentCore endpoint qualifier",
      default: "DEFAULT",
    },
    { name: "json", type: "boolean", description: "Print the checks as JSON" },
  ],
  usesBroker: true,
  examples: [
    { command: "mcp-token doctor --aws-profile dev", description: "Check credentials, broker and token" },
    {
      command: "mcp-token doctor https://mcp.example.com/mcp",
      description: "Also check the MCP server accepts the token",
    },
    {
      command:
        "mcp-token doctor https://mcp.example.com/mcp --source sts --audience https://mcp.example.com/",
      description: "Check the AWS-native path (STS GetWebIdentityToken) instead of the broker",
    },
  ],
  normalize(args, env) {
    if (args.positionals.length > 1)
      throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[1])}`, "doctor");
    const target = args.positionals[0];
    return {
      // The doctor always asks the broker: a cached token would hide what it is checking.
      ...resolveBrokerOptions(args, env, "doctor"),
      cache: false,
      target: target === undefined ? undefined : parseMcpTarget(target, args.values.qualifier, "doctor"),
      json: args.values.json === true,
    };
  },
};
