/**
 * @mcp-token/core: the broker API contract (zod schemas, errors), the TokenCache, the retry helper,
 * IAM principal matching, token inspection and redaction. Runtime-agnostic: zod, jose and Web APIs only.
 */

export type { ErrorBody } from "./api/errorBody.js";
export { errorBodySchema } from "./api/errorBody.js";
export { MAX_ACCESS_TOKEN_LENGTH, RESPONSE_LIMITS, TOKEN_REQUEST_LIMITS } from "./api/limits.js";
export type { ProfilesResponse, TokenResponse, WhoamiResponse } from "./api/responses.js";
export { profilesResponseSchema, tokenResponseSchema, whoamiResponseSchema } from "./api/responses.js";
export type { TokenRequest } from "./api/tokenRequest.js";
export {
  parseTokenRequestBody,
  parseTokenRequestQuery,
  profileNameSchema,
  scopeSchema,
  tokenRequestBodySchema,
} from "./api/tokenRequest.js";
export { isPrincipalAllowed, matchesAllowPattern } from "./arn/match.js";
export { normalizePrincipal } from "./arn/normalize.js";
export type { ParsedArn } from "./arn/parse.js";
export { MAX_ARN_LENGTH, parseArn } from "./arn/parse.js";
export { callerChosenNameReason, validateAllowPattern } from "./arn/pattern.js";
export { cacheKey } from "./cache/cacheKey.js";
export type {
  CacheableToken,
  CacheGetOptions,
  CacheOutcome,
  CacheStats,
  TokenCacheOptions,
} from "./cache/tokenCache.js";
export { DEFAULT_REFRESH_AHEAD_RATIO, TokenCache } from "./cache/tokenCache.js";
export type { Clock } from "./clock.js";
export { ManualClock, systemClock } from "./clock.js";
export type { BrokerConfig, IssuanceBudgetConfig, ProfileConfig } from "./config/brokerConfig.js";
export {
  brokerConfigSchema,
  issuanceBudgetSchema,
  issuerUrlSchema,
  parseBrokerConfig,
  profileConfigSchema,
} from "./config/brokerConfig.js";
export { formatIssuePath } from "./config/formatIssuePath.js";
export type { Env } from "./env/getters.js";
export {
  EnvError,
  getEnumFromEnv,
  getIntegerFromEnv,
  getListFromEnv,
  getStringFromEnv,
} from "./env/getters.js";
export type { BrokerErrorOptions, PlainErrorResponse } from "./errors/brokerError.js";
export { BrokerError, isBrokerError, MAX_ERROR_BODY_BYTES } from "./errors/brokerError.js";
export type { BrokerErrorCode } from "./errors/codes.js";
export { BROKER_ERROR_CODES, BROKER_ERROR_STATUS, isBrokerErrorCode } from "./errors/codes.js";
export type { ConfigIssue } from "./errors/configError.js";
export { ConfigError } from "./errors/configError.js";
export type { FetchLike } from "./http/fetchLike.js";
export { BodyTooLargeError, readBoundedBytes, readBoundedText } from "./http/readBounded.js";
export type { CallerIdentity } from "./identity/callerIdentity.js";
export {
  CALLER_CLAIM_NAMESPACE,
  CALLER_CLAIMS,
  CALLER_REQUEST_FIELDS,
  callerIdentityFromClaims,
  callerIdentityOf,
  callerKey,
} from "./identity/callerIdentity.js";
export { isLoopbackHost } from "./net/loopback.js";
export { REDACTED, redactSecrets } from "./redact.js";
export type { RetryClassification, RetryOptions } from "./retry/retry.js";
export { defaultSleep, fullJitterDelay, retry } from "./retry/retry.js";
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from "./retry/retryAfter.js";
export { toPrintable } from "./text/printable.js";
export { TokenInspectionError } from "./token/errors.js";
export { tokenFingerprint } from "./token/fingerprint.js";
export { inspectToken, MAX_INSPECT_TOKEN_LENGTH } from "./token/inspect.js";
export type { TokenSummary } from "./token/summarize.js";
export { STS_CLAIM_NAMESPACE, summarizeClaims } from "./token/summarize.js";
