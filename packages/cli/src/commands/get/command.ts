import { type BrokerOptions, resolveBrokerOptions } from "../../options/broker.js";
import type { CommandSpec } from "../types.js";

export interface GetOptions extends BrokerOptions {
  json: boolean;
}

/** `mcp-token get`: help and parsing data. */
export const getCommand: CommandSpec<GetOptions> = {
  name: "get",
  summary: "Print an access token for a broker profile (or from AWS STS with --source sts)",
  description:
    "Prints the access token and a newline on stdout (the only command that prints a token), or, with --json, the token with its expiry. Tokens come from the disk cache while they have --min-ttl seconds left, else from the broker, or with --source sts from AWS STS GetWebIdentityToken (15-minute tokens naming your AWS principal, for MCP servers that trust your account's outbound issuer).",
  positionals: [],
  options: [
    {
      name: "json",
      type: "boolean",
      description: "Print JSON: access_token, token_type, expires_at, expires_in, scope, profile",
    },
  ],
  usesBroker: true,
  examples: [
    {
      command: "mcp-token get --broker https://abc123.lambda-url.us-west-2.on.aws/ --aws-profile dev",
      description: "Print a token for the default profile using the AWS profile 'dev'",
    },
    {
      command: 'curl -H "Authorization: Bearer $(mcp-token get)" https://mcp.example.com/mcp',
      description: "Use it in a shell (with MCP_TOKEN_BROKER_URL set)",
    },
    { command: "mcp-token get --profile ops --json", description: "Token and expiry as JSON" },
    {
      command: "mcp-token get --source sts --audience https://mcp.example.com/ --region us-west-2",
      description: "An AWS-native token from STS (no broker), for a server that trusts your account's issuer",
    },
  ],
  normalize(args, env) {
    return { ...resolveBrokerOptions(args, env, "get"), json: args.values.json === true };
  },
};
