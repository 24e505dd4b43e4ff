/**
 * @mcp-token/broker: the token broker behind an IAM Lambda Function URL.
 *
 * Lambda entry: `src/handler.ts` (`handler`), bundled to `dist/handler.mjs`. Everything below is for the
 * local stack, benchmarks and tests, which run the same web-style core.
 */
export { type AuditRecord, writeAudit } from "./audit.js";
export { authorizeTokenRequest, type CallerIdentity, type Principal, requirePrincipal } from "./authorize.js";
export {
  type Broker,
  type BrokerDeps,
  createBroker,
  createFailedBroker,
  type HandleContext,
} from "./broker.js";
export {
  ConfigLoadError,
  loadStartup,
  MAX_CONFIG_BYTES,
  readConfigDocument,
  type Startup,
  type StartupFailure,
  type StartupSuccess,
} from "./config.js";
export { type BrokerSettings, DEFAULT_SETTINGS, ENV, EnvError, settingsFromEnv } from "./env.js";
export { createLambdaHandler, type FunctionUrlHandler, type LambdaHandlerOptions } from "./lambda/adapter.js";
export { eventToRequest, responseToResult } from "./lambda/event.js";
export { createRuntime, type Runtime, type RuntimeOptions, SERVICE_NAME } from "./lambda/runtime.js";
export { type BrokerLogger, SecretScrubber, silentLogger } from "./logger.js";
export { type BrokerMetrics, createPowertoolsMetrics, noopMetrics } from "./metrics.js";
export { MAX_REQUEST_BODY_BYTES } from "./routes/token.js";
export {
  type ClientCredentials,
  createSecretsManagerProvider,
  type GetCredentialsOptions,
  parseClientCredentials,
  type SecretProvider,
  SecretReadError,
  type SecretsManagerProviderOptions,
} from "./secrets.js";
export { type CachedToken, type ServedToken, toBrokerError } from "./tokens.js";
export { createUpstreamClient, type UpstreamAttempt, type UpstreamClient } from "./upstream/client.js";
export { UpstreamError } from "./upstream/errors.js";
export type { FetchLike } from "./upstream/httpAttempt.js";
