/**
 * @mcp-token/broker: the token broker behind an IAM Lambda Function URL.
 *
 * Lambda entry: `src/handler.ts` (`handler`), bundled to `dist/handler.mjs`. Everything below is for the
 * local stack, benchmarks and tests, which run the same web-style core.
 */
export { type AuditRecord, newAuditRecord, writeAudit } from "./audit.js";
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
export {
  type BrokerSettings,
  DEFAULT_SETTINGS,
  DEFAULT_SHARED_CACHE_SETTINGS,
  ENV,
  EnvError,
  type SharedCacheSettings,
  settingsFromEnv,
  sharedCacheSettingsFromEnv,
} from "./env.js";
export {
  BROKER_REQUEST_HEADERS,
  type BrokerRequest,
  type BrokerRequestHeader,
  type BrokerRequestHeaders,
  type BrokerResponse,
  errorResponse,
  jsonResponse,
  jsonTextResponse,
} from "./http/exchange.js";
export { fromWebRequest, type RequestMeta, toWebResponse } from "./http/web.js";
export { createLambdaHandler, type FunctionUrlHandler, type LambdaHandlerOptions } from "./lambda/adapter.js";
export {
  eventToBrokerRequest,
  eventToRequest,
  responseToResult,
  toFunctionUrlResult,
} from "./lambda/event.js";
export { createRuntime, type Runtime, type RuntimeOptions, SERVICE_NAME } from "./lambda/runtime.js";
export { type BrokerLogger, SecretScrubber, silentLogger } from "./logger.js";
export {
  type BrokerMetrics,
  createPowertoolsMetrics,
  type FastEmfOptions,
  noopMetrics,
  type PowertoolsMetricsLike,
  type SharedCacheEvent,
} from "./metrics.js";
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
export {
  type KeyMaterial,
  openToken,
  type SealBinding,
  type SealedToken,
  SHARED_CACHE_FORMAT_VERSION,
  SharedCacheCryptoError,
  sealToken,
  type TokenPlaintext,
} from "./sharedCache/crypto.js";
export {
  createDynamoDbTokenStore,
  type DynamoDbLike,
  type DynamoDbTokenStoreOptions,
} from "./sharedCache/dynamoDbStore.js";
export { sharedItemKey } from "./sharedCache/itemKey.js";
export { createMemorySharedTokenStore, type MemorySharedTokenStore } from "./sharedCache/memoryStore.js";
export {
  type SealedTokenItem,
  SharedStoreError,
  type SharedTokenRecord,
  type SharedTokenStore,
  type StoredLease,
} from "./sharedCache/store.js";
export {
  SHARED_CACHE_ACTIONS,
  SHARED_CACHE_ATTRIBUTES,
  SHARED_CACHE_TABLE,
  sharedCacheTableDefinition,
} from "./sharedCache/table.js";
export {
  createSharedTokenTier,
  SHARED_TIER_DEFAULTS,
  type SharedCacheOutcome,
  type SharedFetchRequest,
  type SharedTier,
  type SharedTierOptions,
} from "./sharedCache/tier.js";
export { type CachedToken, type ServedToken, toBrokerError } from "./tokens.js";
export { createUpstreamClient, type UpstreamAttempt, type UpstreamClient } from "./upstream/client.js";
export { UpstreamError } from "./upstream/errors.js";
export type { FetchLike } from "./upstream/httpAttempt.js";
