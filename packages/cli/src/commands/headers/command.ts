import { type BrokerOptions, resolveBrokerOptions } from "../../options/broker.js";
import type { CommandSpec } from "../types.js";

export type HeadersOptions = BrokerOptions;

/** `mcp-token headers`: help and parsing data. */
export const headersCommand: CommandSpec<HeadersOptions> = {
  name: "headers",
  summary: 'Print {"Authorization":"Bearer …"} for Claude Code\'s headersHelper',
  description:
    "Prints one JSON object of HTTP headers on stdout, as Claude Code's headersHelper expects. Repeated calls are answered from the disk cache without contacting the broker while the token has --min-ttl seconds left; a warm call loads neither the AWS SDK nor the MCP SDK.",
  positionals: [],
  options: [],
  usesBroker: true,
  examples: [
    {
      command: "mcp-token headers --broker https://abc123.lambda-url.us-west-2.on.aws/ --aws-profile dev",
      description: "Headers for the default profile",
    },
    {
      command:
        'claude mcp add-json -s user my-server \'{"type":"http","url":"https://mcp.example.com/mcp","headersHelper":"mcp-token headers --aws-profile dev"}\'',
      description: "Register it with Claude Code (user scope)",
    },
  ],
  normalize(args, env) {
    return resolveBrokerOptions(args, env, "headers");
  },
};
