import type { OptionSpec } from "../commands/types.js";
import { ENV } from "../env.js";

/** Options shared by every command that gets a token (from the broker, or from STS). */
export const BROKER_OPTIONS: OptionSpec[] = [
  {
    name: "source",
    type: "string",
    value: "<broker|sts>",
    description:
      "Where tokens come from: the mcp-token broker (Auth0), or AWS STS GetWebIdentityToken (IAM outbound identity federation; needs --audience)",
    env: ENV.source,
    default: "broker",
  },
  {
    name: "audience",
    type: "string",
    multiple: true,
    value: "<aud>",
    description:
      "--source sts: the token's audience, as the MCP server's authorizer allows it (repeatable, up to 10)",
    env: ENV.audience,
  },
  {
    name: "broker",
    type: "string",
    value: "<url>",
    description: "Broker Function URL (https://<id>.lambda-url.<region>.on.aws/)",
    env: ENV.brokerUrl,
  },
  {
    name: "profile",
    type: "string",
    value: "<name>",
    description: "Broker profile",
    env: ENV.profile,
    default: "default",
  },
  {
    name: "scope",
    type: "string",
    multiple: true,
    value: "<scope>",
    description: "Scope to request (repeatable); default: the profile's scopes",
  },
  {
    name: "region",
    type: "string",
    value: "<region>",
    description:
      "SigV4 signing region (broker), or the STS region (sts); default: from the Function URL host, else AWS_REGION",
  },
  {
    name: "aws-profile",
    type: "string",
    value: "<name>",
    description: "AWS shared-config profile",
    env: ENV.awsProfile,
  },
  {
    name: "min-ttl",
    type: "string",
    value: "<seconds>",
    description: "Minimum remaining token lifetime",
    default: "300",
  },
  { name: "no-cache", type: "boolean", description: "Do not read or write the disk token cache" },
];

/** Options every command has. */
export const OUTPUT_OPTIONS: OptionSpec[] = [
  {
    name: "log-level",
    type: "string",
    value: "<level>",
    description: "silent, error, warn, info or debug (logs go to stderr)",
    env: ENV.logLevel,
    default: "warn",
  },
  { name: "help", type: "boolean", short: "h", description: "Show help" },
];
