/**
 * Every environment variable the broker reads, in one place (STYLE rule 8).
 *
 * Precedence: an explicit option passed to {@link createBroker} / `createLambdaHandler`, then the
 * environment variable, then the default listed here. Values are trimmed; a set but invalid value is an
 * error that names the variable (it never silently falls back to the default).
 */
import { type Env, EnvError, getIntegerFromEnv, getStringFromEnv } from "@mcp-token/core";

/** Environment variable names, as constants. */
export const ENV = {
  /** Broker configuration: a JSON document, or a path to a file holding one. Required unless the parameter is set. */
  config: "MCP_TOKEN_BROKER_CONFIG",
  /**
   * SSM parameter holding the configuration, read once at cold start, for configurations too large for
   * the environment (see `configParameter.ts`). Used only when `MCP_TOKEN_BROKER_CONFIG` is unset.
   */
  configParameter: "MCP_TOKEN_BROKER_CONFIG_PARAMETER",
  /** SHA-256 (hex) the parameter's value must have; required with the parameter. */
  configSha256: "MCP_TOKEN_BROKER_CONFIG_SHA256",
  /** Whole-issuance deadline across retries, milliseconds. Default 8000. */
  upstreamDeadlineMs: "MCP_TOKEN_UPSTREAM_DEADLINE_MS",
  /** Per-attempt total timeout (headers and body), milliseconds. Default 5000. */
  upstreamTimeoutMs: "MCP_TOKEN_UPSTREAM_TIMEOUT_MS",
  /** Per-attempt time allowed until the response headers arrive (connect + first byte), milliseconds. Default 3000. */
  upstreamConnectTimeoutMs: "MCP_TOKEN_UPSTREAM_CONNECT_TIMEOUT_MS",
  /** Upstream attempts per issuance (first try included), 1..5. Default 3. */
  upstreamMaxAttempts: "MCP_TOKEN_UPSTREAM_MAX_ATTEMPTS",
  /** How long a client secret read from Secrets Manager is cached, seconds, 1..3600. Default 300. */
  secretMaxAgeSeconds: "MCP_TOKEN_SECRET_MAX_AGE_SECONDS",
  /** Shared token cache table (DynamoDB). Unset: memory only (the local stack's default). */
  cacheTable: "MCP_TOKEN_CACHE_TABLE",
  /** Bound on each shared-cache DynamoDB call, milliseconds, 50..10000. Default 1000. */
  cacheTimeoutMs: "MCP_TOKEN_CACHE_TIMEOUT_MS",
  /**
   * Lease lifetime while one instance fetches from the issuer, milliseconds, 1000..130000. Default the
   * larger of 10000 and the upstream deadline plus 2000 (a lease must outlive the issuance it covers).
   */
  cacheLeaseMs: "MCP_TOKEN_CACHE_LEASE_MS",
  /** Longest wait for another instance's lease before fetching here, milliseconds, 0..10000. Default 2500. */
  cacheWaitMs: "MCP_TOKEN_CACHE_WAIT_MS",
  /** Service name in logs and metrics (Powertools' variable). Default `mcp-token-broker`. */
  serviceName: "POWERTOOLS_SERVICE_NAME",
  /** CloudWatch metrics namespace (Powertools' variable). Default `McpToken`. */
  metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  /** Set by Lambda: the runtime is built right after the handler module loads. */
  lambdaFunctionName: "AWS_LAMBDA_FUNCTION_NAME",
} as const;

/** Service name in logs and metrics when `POWERTOOLS_SERVICE_NAME` is unset. */
export const SERVICE_NAME = "mcp-token-broker";

/** Powertools' service name and metrics namespace, from the environment or our defaults. */
export function powertoolsSettingsFromEnv(env: Env): { serviceName: string; namespace: string } {
  return {
    serviceName: getStringFromEnv(env, ENV.serviceName) ?? SERVICE_NAME,
    namespace: getStringFromEnv(env, ENV.metricsNamespace) ?? "McpToken",
  };
}

/** True in Lambda (`AWS_LAMBDA_FUNCTION_NAME` set). */
export function inLambda(env: Env): boolean {
  return getStringFromEnv(env, ENV.lambdaFunctionName) !== undefined;
}

/** Broker runtime settings that are not per profile. */
export interface BrokerSettings {
  /** Whole-issuance deadline across retries, ms. Default 8000. */
  upstreamDeadlineMs: number;
  /** Per-attempt total timeout, ms. Default 5000. */
  upstreamTimeoutMs: number;
  /** Per-attempt timeout until response headers, ms. Default 3000. */
  upstreamConnectTimeoutMs: number;
  /** Attempts per issuance, first try included. Default 3. */
  upstreamMaxAttempts: number;
  /** Client secret cache lifetime, seconds. Default 300. */
  secretMaxAgeSeconds: number;
}

/** Defaults for {@link BrokerSettings}. */
export const DEFAULT_SETTINGS: Readonly<BrokerSettings> = Object.freeze({
  upstreamDeadlineMs: 8000,
  upstreamTimeoutMs: 5000,
  upstreamConnectTimeoutMs: 3000,
  upstreamMaxAttempts: 3,
  secretMaxAgeSeconds: 300,
});

export { EnvError };

/** Reads {@link BrokerSettings} from the environment; throws {@link EnvError} naming the bad variable. */
export function settingsFromEnv(env: Env): BrokerSettings {
  return {
    upstreamDeadlineMs: getIntegerFromEnv(env, ENV.upstreamDeadlineMs, {
      defaultValue: DEFAULT_SETTINGS.upstreamDeadlineMs,
      min: 100,
      max: 120_000,
    }),
    upstreamTimeoutMs: getIntegerFromEnv(env, ENV.upstreamTimeoutMs, {
      defaultValue: DEFAULT_SETTINGS.upstreamTimeoutMs,
      min: 50,
      max: 120_000,
    }),
    upstreamConnectTimeoutMs: getIntegerFromEnv(env, ENV.upstreamConnectTimeoutMs, {
      defaultValue: DEFAULT_SETTINGS.upstreamConnectTimeoutMs,
      min: 50,
      max: 120_000,
    }),
    upstreamMaxAttempts: getIntegerFromEnv(env, ENV.upstreamMaxAttempts, {
      defaultValue: DEFAULT_SETTINGS.upstreamMaxAttempts,
      min: 1,
      max: 5,
    }),
    secretMaxAgeSeconds: getIntegerFromEnv(env, ENV.secretMaxAgeSeconds, {
      defaultValue: DEFAULT_SETTINGS.secretMaxAgeSeconds,
      min: 1,
      max: 3600,
    }),
  };
}

/** Settings of the shared (DynamoDB) token cache tier. */
export interface SharedCacheSettings {
  /** Table name. */
  tableName: string;
  /** Bound on each DynamoDB call, ms. Default 1000. */
  timeoutMs: number;
  /** Lease lifetime, ms. Default max(10000, upstream deadline + 2000). */
  leaseMs: number;
  /** Longest wait for another instance's lease, ms. Default 2500. */
  waitMs: number;
}

/** Defaults of {@link SharedCacheSettings} (besides the table name). */
export const DEFAULT_SHARED_CACHE_SETTINGS: Readonly<Omit<SharedCacheSettings, "tableName">> = Object.freeze({
  timeoutMs: 1000,
  leaseMs: 10_000,
  waitMs: 2500,
});

/**
 * Reads {@link SharedCacheSettings}; `undefined` when `MCP_TOKEN_CACHE_TABLE` is unset (memory only).
 * `upstreamDeadlineMs` (default {@link DEFAULT_SETTINGS}) sets the default lease lifetime.
 * @throws {EnvError} naming the bad variable.
 */
export function sharedCacheSettingsFromEnv(
  env: Env,
  opts: { upstreamDeadlineMs?: number } = {},
): SharedCacheSettings | undefined {
  const tableName = getStringFromEnv(env, ENV.cacheTable);
  if (tableName === undefined) return undefined;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new EnvError(
      ENV.cacheTable,
      `expected a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), got ${JSON.stringify(tableName.slice(0, 40))}`,
    );
  }
  return {
    tableName,
    timeoutMs: getIntegerFromEnv(env, ENV.cacheTimeoutMs, {
      defaultValue: DEFAULT_SHARED_CACHE_SETTINGS.timeoutMs,
      min: 50,
      max: 10_000,
    }),
    leaseMs: getIntegerFromEnv(env, ENV.cacheLeaseMs, {
      defaultValue: Math.max(
        DEFAULT_SHARED_CACHE_SETTINGS.leaseMs,
        (opts.upstreamDeadlineMs ?? DEFAULT_SETTINGS.upstreamDeadlineMs) + 2000,
      ),
      min: 1000,
      max: 130_000,
    }),
    waitMs: getIntegerFromEnv(env, ENV.cacheWaitMs, {
      defaultValue: DEFAULT_SHARED_CACHE_SETTINGS.waitMs,
      min: 0,
      max: 10_000,
    }),
  };
}
