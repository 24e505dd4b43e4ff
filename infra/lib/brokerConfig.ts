/**
 * The broker's configuration document (env `MCP_TOKEN_BROKER_CONFIG`), built from a validated stage
 * configuration and checked with the broker's own schema (`parseBrokerConfig` from `@mcp-token/core`),
 * so what `sst deploy` ships is exactly what the broker accepts at cold start.
 */
import { type BrokerConfig, ConfigError, parseBrokerConfig } from "@mcp-token/core";
import { LAMBDA_ENVIRONMENT_LIMIT_BYTES, type StageConfig } from "./stageConfig.js";

/** Environment variable names the broker reads (see apps/broker/src/env.ts). */
export const BROKER_ENV = {
  /** The broker configuration JSON. */
  config: "MCP_TOKEN_BROKER_CONFIG",
  /** Name of the shared DynamoDB token cache table. */
  cacheTable: "MCP_TOKEN_CACHE_TABLE",
} as const;

/** Bytes of the 4 KB Lambda environment budget kept for the other variables (table name, SST's own). */
const RESERVED_ENVIRONMENT_BYTES = 640;

/** The issuer URL of an Auth0 tenant or custom domain: `https://<domain>/`. */
export function auth0IssuerUrl(domain: string): string {
  return `https://${domain}/`;
}

/**
 * Build the broker configuration for a stage.
 *
 * @param stage A validated stage configuration.
 * @param secretArn ARN of the secret holding `{ "client_id", "client_secret" }`.
 * @returns the document, validated by the broker's schema (defaults applied).
 * @throws ConfigError when the result is invalid or too large for a Lambda environment variable.
 */
export function buildBrokerConfig(stage: StageConfig, secretArn: string): BrokerConfig {
  const issuer = auth0IssuerUrl(stage.auth0.domain);
  const profiles = Object.fromEntries(
    Object.entries(stage.broker.profiles).map(([name, profile]) => [
      name,
      {
        issuer,
        audience: profile.audience ?? stage.auth0.audience,
        secretId: secretArn,
        // The secret holds the client id; the broker checks it equals the one the runtime allows.
        expectedClientId: stage.auth0.clientId,
        scopes: profile.scopes,
        requestStyle: "auth0" as const,
        allow: profile.allow,
        minTtlSeconds: profile.minTtlSeconds,
        ...(profile.identity !== undefined && { identity: profile.identity }),
      },
    ]),
  );
  const config = parseBrokerConfig({ profiles });
  const size = new TextEncoder().encode(JSON.stringify(config)).byteLength;
  const budget = LAMBDA_ENVIRONMENT_LIMIT_BYTES - RESERVED_ENVIRONMENT_BYTES;
  if (size > budget) {
    throw new ConfigError(
      [
        {
          path: "broker.profiles",
          message: `the broker configuration is ${size} bytes, over the ${budget} bytes that fit in a Lambda environment variable; use fewer or broader allow patterns (e.g. one role ARN instead of each session)`,
        },
      ],
      { subject: "stage configuration (infra/stages.ts)" },
    );
  }
  return config;
}

/** The broker configuration as the JSON string put in `MCP_TOKEN_BROKER_CONFIG`. */
export function brokerConfigJson(stage: StageConfig, secretArn: string): string {
  return JSON.stringify(buildBrokerConfig(stage, secretArn));
}

/**
 * Check, before any resource exists, that the broker will accept its configuration: builds it with
 * the stage's secret ARN, or with a stand-in ARN as long as a created secret's will be.
 *
 * @throws ConfigError naming the field at fault.
 */
export function checkBrokerConfig(stage: StageConfig, app: { name: string; stage: string }): BrokerConfig {
  const standIn = `arn:aws:secretsmanager:${stage.region}:${stage.accountId}:secret:${app.name}/${app.stage}/auth0-m2m-${"0".repeat(26)}-AbCdEf`;
  return buildBrokerConfig(stage, stage.secret.arn ?? standIn);
}
