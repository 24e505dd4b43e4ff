/**
 * Every environment variable the CLI reads, in one place. Precedence everywhere: command-line flag,
 * then environment variable, then default.
 */
export const ENV = {
  /** Broker Function URL (`--broker`). */
  brokerUrl: "MCP_TOKEN_BROKER_URL",
  /** Broker profile (`--profile`); default `default`. */
  profile: "MCP_TOKEN_PROFILE",
  /** Token source (`--source`): `broker` (default) or `sts`. */
  source: "MCP_TOKEN_SOURCE",
  /** STS token audience(s) (`--audience`), comma-separated. */
  audience: "MCP_TOKEN_AUDIENCE",
  /** STS endpoint override, as the AWS SDK reads it (`AWS_ENDPOINT_URL_STS`). */
  stsEndpoint: "AWS_ENDPOINT_URL_STS",
  /** Log level (`--log-level`); default `warn`. */
  logLevel: "MCP_TOKEN_LOG_LEVEL",
  /** AWS shared-config profile (`--aws-profile`); read by the AWS SDK too. */
  awsProfile: "AWS_PROFILE",
  /** Signing region fallback (`--region`) when the broker URL is not a Function URL. */
  awsRegion: "AWS_REGION",
  awsDefaultRegion: "AWS_DEFAULT_REGION",
} as const;

// An import, not a re-export: the bundle's directWorkspaceImports plugin maps named imports to core's
// own file, while a re-export would pull core's barrel (and zod) into the warm start.
import { getStringFromEnv } from "@mcp-token/core";

export { getStringFromEnv };
