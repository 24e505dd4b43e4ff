export {
  baseUrlOf,
  createMcpServerApp,
  type HandledRequest,
  MCP_PATH,
  type McpServerApp,
  type McpServerAppOptions,
  PING_PATH,
  type RequestContext,
} from "./app.js";
export { createAgentCoreAuthenticator } from "./auth/agentcore.js";
export { type RequestAuth, requestAuthOf, toAuthInfo } from "./auth/authInfo.js";
export { MAX_TOKEN_LENGTH, readBearerToken } from "./auth/bearer.js";
export {
  AUTH_RETRY_AFTER_SECONDS,
  authErrorResponse,
  bearerChallenge,
  PROTECTED_RESOURCE_METADATA_PATH,
} from "./auth/challenge.js";
export { callerFromClaims, scopesOf } from "./auth/claims.js";
export {
  CLAIM_MATCH_OPERATORS,
  CLAIM_VALUE_TYPES,
  type ClaimMatchOperator,
  type ClaimValueType,
  type CustomClaimFailure,
  type CustomClaimRule,
  checkCustomClaim,
  parseCustomClaims,
} from "./auth/customClaims.js";
export { createDiscovery, type Discovery, type FetchLike, type IssuerMetadata } from "./auth/discovery.js";
export { AUTH_ERROR_KINDS, AuthError, type AuthErrorKind, isAuthError } from "./auth/errors.js";
export {
  answerHealthPing,
  isLoopbackAddress,
  MAX_PING_BYTES,
  mayAnswerPing,
} from "./auth/healthPing.js";
export {
  ALLOWED_ALGORITHMS,
  AUDIENCE_MISMATCH,
  CLIENT_ID_MISMATCH,
  claimMismatch,
  createJwtAuthenticator,
  ISSUER_MISMATCH,
  type JwtAuthenticatorOptions,
  SCOPE_MISMATCH,
} from "./auth/jwt.js";
export { createNoAuthenticator } from "./auth/none.js";
export type { Authenticator, AuthOutcome, AuthResult, Caller } from "./auth/types.js";
export {
  AUTH_MODES,
  type AuthMode,
  DEFAULTS,
  ENV,
  type HostGuard,
  type JwtAuthConfig,
  LOOPBACK_HOSTNAMES,
  type LogLevel,
  loadConfig,
  PING_ALLOWANCES,
  type PingAllowance,
  type ServerConfig,
} from "./config.js";
export { createLogger, type LogFields, type Logger, silentLogger } from "./log.js";
export { createMcpServerFactory, SERVER_INFO } from "./mcp/factory.js";
export { MAX_HEADER_BYTES, type RunningServer, type StartServerOptions, startServer } from "./server.js";
export { startupWarnings } from "./startupWarnings.js";
export { addTool } from "./tools/add.js";
export { tools } from "./tools/index.js";
export type { ToolDeps, ToolModule } from "./tools/types.js";
export { type WhoamiResult, whoamiTool } from "./tools/whoami.js";
