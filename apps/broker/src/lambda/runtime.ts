/**
 * Builds the production broker from the environment, once per Lambda instance (cold start):
 * Powertools `Logger` and `Metrics` as their documentation uses them, the Secrets Manager provider (AWS
 * SDK loaded lazily on first use), a module-scope `TokenCache`, the shared DynamoDB tier when
 * `MCP_TOKEN_CACHE_TABLE` is set (its SDK also loaded on first use), and the configuration from
 * `MCP_TOKEN_BROKER_CONFIG`. An invalid configuration is logged once here and then on every request,
 * each answered `internal_error`.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { FetchLike } from "@mcp-token/core";
import { type Clock, systemClock, TokenCache } from "@mcp-token/core";
import type { Context } from "aws-lambda";
import { type AuditSink, logAuditSink } from "../audit.js";
import { createBroker, createFailedBroker } from "../broker.js";
import { loadStartup, type Startup } from "../config.js";
import { type ParameterReader, resolveConfigParameter } from "../configParameter.js";
import { powertoolsSettingsFromEnv } from "../env.js";
import type { BrokerLogger } from "../logger.js";
import { type BrokerMetrics, createPowertoolsMetrics } from "../metrics.js";
import { createSecretsManagerProvider, type SecretProvider } from "../secrets.js";
import { createDynamoDbTokenStore } from "../sharedCache/dynamoDbStore.js";
import type { SharedTokenStore } from "../sharedCache/store.js";
import type { CachedToken } from "../types.js";
import { createLambdaHandler, type FunctionUrlHandler } from "./adapter.js";

/** Options for {@link createRuntime}; all default to production behaviour. */
export interface RuntimeOptions {
  env?: Readonly<Record<string, string | undefined>>;
  logger?: BrokerLogger;
  /** Where audit records go. Default: `logger.info("audit", …)`. */
  audit?: AuditSink;
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
  /** A configuration failure found before the environment was read (the SSM parameter, see {@link createRuntimeFromEnvironment}). */
  startupFailure?: string;
}

/** The assembled runtime. */
export interface Runtime {
  handler: FunctionUrlHandler;
  startup: Startup;
  /** The shared token cache (undefined when the configuration is invalid). */
  cache: TokenCache<CachedToken> | undefined;
}

/** The broker's logging seam over a Powertools `Logger` (attributes become fields of the JSON line). */
function brokerLoggerOver(logger: Logger): BrokerLogger {
  const level =
    (write: (message: string, ...extra: [Record<string, unknown>]) => void) =>
    (message: string, attributes?: Record<string, unknown>) =>
      attributes ? write(message, attributes) : write(message, {});
  return {
    debug: level((m, a) => logger.debug(m, a)),
    info: level((m, a) => logger.info(m, a)),
    warn: level((m, a) => logger.warn(m, a)),
    error: level((m, a) => logger.error(m, a)),
  };
}

/** Assembles logger, metrics, secrets, cache and broker from the environment. */
export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const env = opts.env ?? process.env;
  const { serviceName, namespace } = powertoolsSettingsFromEnv(env);
  const powertools = opts.logger ? undefined : new Logger({ serviceName });
  const logger: BrokerLogger = opts.logger ?? brokerLoggerOver(powertools as Logger);
  const audit = opts.audit ?? logAuditSink(logger);
  const metrics =
    opts.metrics ??
    createPowertoolsMetrics(new Metrics({ namespace, serviceName }), (error) =>
      logger.warn("metrics failed", { error: (error as Error).message }),
    );
  const onInvoke = powertools
    ? (context: Context | undefined) => {
        if (context) powertools.addContext(context);
      }
    : undefined;

  const startup: Startup =
    opts.startupFailure !== undefined
      ? { ok: false, message: opts.startupFailure, error: new Error(opts.startupFailure) }
      : loadStartup(env);
  if (!startup.ok) {
    logger.error(`broker misconfigured: ${startup.message}`, {
      operatorAction: "fix the configuration and redeploy",
    });
    return {
      startup,
      cache: undefined,
      handler: createLambdaHandler(createFailedBroker(startup.message, logger, metrics, audit), {
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
    audit,
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

/**
 * {@link createRuntime} for Lambda: first fills the configuration from its pinned SSM parameter when the
 * environment names one (`configParameter.ts`), then builds the runtime once.
 */
export async function createRuntimeFromEnvironment(
  opts: RuntimeOptions & { readParameter?: ParameterReader } = {},
): Promise<Runtime> {
  const resolved = await resolveConfigParameter(opts.env ?? process.env, opts.readParameter);
  return "failure" in resolved
    ? createRuntime({ ...opts, startupFailure: resolved.failure })
    : createRuntime({ ...opts, env: resolved.env });
}
