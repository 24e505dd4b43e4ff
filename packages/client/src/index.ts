// Runtime-neutral entry of @mcp-token/client (Web APIs only). The default AWS credential chain is
// imported lazily on first use; Node-only helpers (disk cache, identity hint) live in "./node".
export {
  BodyTooLargeError,
  BrokerError,
  isBrokerError,
  type ProfilesResponse,
  readBoundedText,
  type TokenResponse,
  type WhoamiResponse,
} from "@mcp-token/core";
export { awsRejection } from "./broker/awsRejection.js";
export {
  type BrokerClient,
  type BrokerClientOptions,
  type BrokerTokenRequest,
  createBrokerClient,
  MAX_BROKER_RESPONSE_BYTES,
} from "./broker/brokerClient.js";
export { regionFromFunctionUrl } from "./broker/functionUrlRegion.js";
export { nodeCredentialChain } from "./credentials/defaultCredentials.js";
export type { AwsCredentials, AwsCredentialsProvider } from "./credentials/types.js";
export { BrokerConnectionError } from "./errors/brokerConnectionError.js";
export {
  CredentialsError,
  type CredentialsErrorCode,
  isCredentialsError,
} from "./errors/credentialsError.js";
export { isStsTokenError, StsTokenError, type StsTokenErrorCode } from "./errors/stsTokenError.js";
export type { FetchLike } from "./http/types.js";
export {
  type AgentCoreMcpUrlOptions,
  agentCoreMcpUrl,
  isAgentCoreRuntimeArn,
} from "./mcp/agentCoreMcpUrl.js";
export { createAuthenticatedFetch } from "./mcp/authenticatedFetch.js";
export { createAuthProvider, type McpAuthProvider } from "./mcp/authProvider.js";
export {
  createStsTokenSource,
  DEFAULT_STS_DURATION_SECONDS,
  type StsTokenSource,
  type StsTokenSourceOptions,
} from "./sts/stsTokenSource.js";
export {
  createTokenSource,
  DEFAULT_MIN_TTL_SECONDS,
  type TokenSource,
  type TokenSourceOptions,
} from "./tokenSource/createTokenSource.js";
export type { StoredToken, TokenStore, TokenStoreKey } from "./tokenSource/tokenStore.js";
export { CLIENT_VERSION, USER_AGENT } from "./version.js";
