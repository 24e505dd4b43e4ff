/**
 * Builds the production broker from the environment, once per Lambda instance (cold start):
 * Powertools `Logger` and `Metrics`, the Secrets Manager provider (AWS SDK loaded lazily on first use),
 * a module-scope `TokenCache`, the shared DynamoDB tier when `MCP_TOKEN_CACHE_TABLE` is set (its SDK
 * also loaded on first use), and the configuration from `MCP_TOKEN_BROKER_CONFIG`. An invalid
 * configuration is logged once here and then on every request, each answered `internal_error`.
 */
import { Console } from "node:console";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { type Clock, systemClock, TokenCache } from "@mcp-token/core";
import { createBroker, createFailedBroker } from "../broker.js";
import { loadStartup, type Startup } from "../config.js";
import type { BrokerLogger } from "../logger.js";
import { type BrokerMetrics, createPowertoolsMetrics, type PowertoolsMetricsLike } from "../metrics.js";
import { createSecretsManagerProvider, type SecretProvider } from "../secrets.js";
import { createDynamoDbTokenStore } from "../sharedCache/dynamoDbStore.js";
import type { SharedTokenStore } from "../sharedCache/store.js";
import type { CachedToken } from "../tokens.js";
import type { FetchLike } from "../upstream/httpAttempt.js";
import { createLambdaHandler, type FunctionUrlHandler } from "./adapter.js";
import { createPowertoolsBrokerLogger } from "./powertoolsLogger.js";

/** Service name in logs and metrics. */
export const SERVICE_NAME = "mcp-token-broker";

/** Options for {@link createRuntime}; all default to production behaviour. */
export interface RuntimeOptions {
  env?: Readonly<Record<string, string | undefined>>;
  logger?: BrokerLogger;
  metrics?: BrokerMetrics;
  secrets?: SecretProvider;
  clock?: Clock;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Shared token store. Default: DynamoDB on `MCP_TOKEN_CACHE_TABLE` when it is set, else none
   * (memory only).
   */
  sharedStore?: SharedTokenStore;
}

/** The assembled runtime. */
export interface Runtime {
  handler: FunctionUrlHandler;
  startup: Startup;
  /** The shared token cache (undefined when the configuration is invalid). */
  cache: TokenCache<CachedToken> | undefined;
}

/**
 * The Powertools metrics of an instance: one `Metrics`, with request lines on the fast path (see
 * `metrics.ts`) unless Powertools' development mode or its metrics switch is set (`POWERTOOLS_DEV`,
 * `POWERTOOLS_METRICS_DISABLED`), in which case Powertools decides what to write.
 */
function powertoolsMetrics(
  env: Readonly<Record<string, string | undefined>>,
  serviceName: string,
  logger: BrokerLogger,
): BrokerMetrics {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE || "McpToken";
  const instance = new Metrics({ namespace, serviceName });
  // Powertools reads these from process.env; either one set means its own rules decide what is written.
  const powertoolsRules = ["POWERTOOLS_DEV", "POWERTOOLS_METRICS_DISABLED"].some(
    (key) => (process.env[key] ?? "").trim() !== "",
  );
  const out = new Console({ stdout: process.stdout, stderr: process.stderr });
  return createPowertoolsMetrics(
    instance as unknown as PowertoolsMetricsLike,
    (error) => logger.warn("metrics failed", { error: (error as Error).message }),
    powertoolsRules ? undefined : { namespace, serviceName, write: (line) => out.log(line) },
  );
}

/** Assembles logger, metrics, secrets, cache and broker from the environment. */
export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const env = opts.env ?? process.env;
  const serviceName = env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME;
  const powertoolsLogger = opts.logger ? undefined : createPowertoolsBrokerLogger({ serviceName });
  const logger: BrokerLogger = opts.logger ?? (powertoolsLogger as BrokerLogger);
  const metrics = opts.metrics ?? powertoolsMetrics(env, serviceName, logger);
  const onInvoke = powertoolsLogger
    ? (context: Parameters<typeof powertoolsLogger.addContext>[0] | undefined) => {
        if (context) powertoolsLogger.addContext(context);
      }
    : undefined;

  const startup = loadStartup(env);
  if (!startup.ok) {
    logger.error(`broker misconfigured: ${startup.message}`, {
      operatorAction: "fix the configuration and redeploy",
    });
    return {
      startup,
      cache: undefined,
      handler: createLambdaHandler(createFailedBroker(startup.message, logger, metrics), {
        logger,
        metrics,
        ...(onInvoke && { onInvoke }),
      }),
    };
  }
  const clock = opts.clock ?? systemClock;
  const cache = new TokenCache<CachedToken>({ clock });
  const shared = startup.sharedCache;
  const sharedStore =
    opts.sharedStore ??
    (shared && createDynamoDbTokenStore({ tableName: shared.tableName, timeoutMs: shared.timeoutMs }));
  const broker = createBroker({
    config: startup.config,
    settings: startup.settings,
    secrets:
      opts.secrets ?? createSecretsManagerProvider({ maxAgeSeconds: startup.settings.secretMaxAgeSeconds }),
    logger,
    metrics,
    clock,
    cache,
    ...(sharedStore && { sharedStore }),
    ...(shared && {
      sharedTier: { leaseMs: shared.leaseMs, waitMs: shared.waitMs, label: `dynamodb:${shared.tableName}` },
    }),
    ...(opts.fetch && { fetch: opts.fetch }),
    ...(opts.sleep && { sleep: opts.sleep }),
  });
  return {
    startup,
    cache,
    handler: createLambdaHandler(broker, { logger, metrics, ...(onInvoke && { onInvoke }) }),
  };
}
