import type { OptionSpec } from "../commands/types.js";
import { ENV } from "../env.js";

/** Options shared by every command that talks to the broker. */
export const BROKER_OPTIONS: OptionSpec[] = [
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
    description: "SigV4 signing region; default: from the Function URL host, else AWS_REGION",
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
