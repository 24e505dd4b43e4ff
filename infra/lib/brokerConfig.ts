/**
 * The broker's configuration document (env `MCP_TOKEN_BROKER_CONFIG`), built from a validated stage
 * configuration and checked with the broker's own schema (`parseBrokerConfig` from `@mcp-token/core`),
 * so what `sst deploy` ships is exactly what the broker accepts at cold start.
 */
import { type BrokerConfig, ConfigError, parseBrokerConfig } from "@mcp-token/core";
import { stageIssuers } from "./issuers.js";
import { LAMBDA_ENVIRONMENT_LIMIT_BYTES, type StageConfig } from "./stageConfig.js";

/** Environment variable names the broker reads (see apps/broker/src/env.ts). */
export const BROKER_ENV = {
  /** The broker configuration JSON. */
  config: "MCP_TOKEN_BROKER_CONFIG",
  /** Name of the shared DynamoDB token cache table. */
  cacheTable: "MCP_TOKEN_CACHE_TABLE",
  /** SSM parameter holding the configuration, when it does not fit in the environment. */
  configParameter: "MCP_TOKEN_BROKER_CONFIG_PARAMETER",
  /** SHA-256 (hex) of that parameter's value: the broker refuses any other value. */
  configSha256: "MCP_TOKEN_BROKER_CONFIG_SHA256",
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
 * @param secretArns ARN of each issuer's secret (`{ "client_id", "client_secret" }`), by issuer name.
 * @returns the document, validated by the broker's schema (defaults applied).
 * @throws ConfigError when the result is invalid.
 */
export function buildBrokerConfig(
  stage: StageConfig,
  secretArns: Readonly<Record<string, string>>,
): BrokerConfig {
  const issuers = stageIssuers(stage);
  const profiles = Object.fromEntries(
    Object.entries(stage.broker.profiles).map(([name, profile]) => {
      const issuer = issuers.get(profile.issuer ?? "auth0");
      if (!issuer)
        throw new ConfigError([{ path: `broker.profiles.${name}.issuer`, message: "unknown issuer" }]);
      const secretId = secretArns[issuer.name];
      if (secretId === undefined) throw new Error(`no secret ARN for issuer ${issuer.name}`);
      return [
        name,
        {
          issuer: issuer.issuerUrl,
          audience: profile.audience ?? issuer.defaultAudience,
          secretId,
          // The secret holds the client id; the broker checks it equals the one the runtime allows.
          ...(issuer.clientId !== undefined && { expectedClientId: issuer.clientId }),
          scopes: profile.scopes,
          requestStyle: issuer.requestStyle,
          ...(issuer.tokenEndpointOrigins.length > 0 && {
            allowedTokenEndpointOrigins: issuer.tokenEndpointOrigins,
          }),
          allow: profile.allow,
          minTtlSeconds: profile.minTtlSeconds,
          ...(profile.identity !== undefined && { identity: profile.identity }),
        },
      ];
    }),
  );
  return parseBrokerConfig({ profiles });
}

/** Bytes of the broker configuration as JSON. */
export function brokerConfigBytes(config: BrokerConfig): number {
  return new TextEncoder().encode(JSON.stringify(config)).byteLength;
}

/** The most configuration bytes that fit in the Lambda environment beside the other variables. */
export const BROKER_CONFIG_ENV_BUDGET_BYTES = LAMBDA_ENVIRONMENT_LIMIT_BYTES - RESERVED_ENVIRONMENT_BYTES;

/** SSM Parameter Store's limit for an Advanced-tier String parameter. */
export const SSM_ADVANCED_PARAMETER_LIMIT_BYTES = 8192;
/** SSM Parameter Store's limit for a Standard-tier parameter. */
export const SSM_STANDARD_PARAMETER_LIMIT_BYTES = 4096;

/**
 * Where the broker reads its configuration: the environment variable while it fits (no network, no
 * extra permission), else an SSM parameter read once at cold start (Standard tier up to 4 KB, Advanced
 * up to 8 KB). Beyond 8 KB the stage is refused with the fix.
 */
export function brokerConfigPlacement(
  config: BrokerConfig,
): { where: "env" } | { where: "ssm"; tier: "Standard" | "Advanced" } {
  const size = brokerConfigBytes(config);
  if (size <= BROKER_CONFIG_ENV_BUDGET_BYTES) return { where: "env" };
  if (size <= SSM_STANDARD_PARAMETER_LIMIT_BYTES) return { where: "ssm", tier: "Standard" };
  if (size <= SSM_ADVANCED_PARAMETER_LIMIT_BYTES) return { where: "ssm", tier: "Advanced" };
  throw new ConfigError(
    [
      {
        path: "broker.profiles",
        message: `the broker configuration is ${size} bytes, over the ${SSM_ADVANCED_PARAMETER_LIMIT_BYTES} bytes of an SSM parameter; use fewer or broader allow patterns (e.g. one role ARN instead of each session), or split the profiles across stages`,
      },
    ],
    { subject: "stage configuration (infra/stages.ts)" },
  );
}

/** The broker configuration as JSON. */
export function brokerConfigJson(stage: StageConfig, secretArns: Readonly<Record<string, string>>): string {
  return JSON.stringify(buildBrokerConfig(stage, secretArns));
}

/** The ARN a secret created for `issuer` will have, with the 26-character random part Pulumi's `namePrefix` adds. */
export function standInSecretArn(
  stage: StageConfig,
  app: { name: string; stage: string },
  issuer: string,
): string {
  return `arn:aws:secretsmanager:${stage.region}:${stage.accountId}:secret:${secretNamePrefix(app, issuer)}${"0".repeat(26)}-AbCdEf`;
}

/** Name prefix of a created issuer secret: `<app>/<stage>/auth0-m2m-` for the primary, `<app>/<stage>/<issuer>-m2m-` else. */
export function secretNamePrefix(app: { name: string; stage: string }, issuer: string): string {
  return `${app.name}/${app.stage}/${issuer}-m2m-`;
}

/**
 * Check, before any resource exists, that the broker will accept its configuration: builds it with
 * the stage's secret ARN, or with a stand-in ARN as long as a created secret's will be.
 *
 * @throws ConfigError naming the field at fault.
 */
export function checkBrokerConfig(stage: StageConfig, app: { name: string; stage: string }): BrokerConfig {
  const arns = Object.fromEntries(
    [...stageIssuers(stage).values()].map((issuer) => [
      issuer.name,
      issuer.secret.arn ?? standInSecretArn(stage, app, issuer.name),
    ]),
  );
  const config = buildBrokerConfig(stage, arns);
  brokerConfigPlacement(config);
  return config;
}
