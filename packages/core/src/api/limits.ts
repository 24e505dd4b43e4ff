/**
 * Size bounds for everything the broker accepts from the network. Every schema in `src/api` enforces
 * them, so a request can never make the broker allocate or log unbounded data.
 */
export const TOKEN_REQUEST_LIMITS = {
  /** Longest profile name, in characters. */
  maxProfileLength: 64,
  /** Most scopes in one request (before de-duplication). */
  maxScopes: 32,
  /** Longest single scope token, in characters. */
  maxScopeLength: 128,
  /** Largest `minTtlSeconds` a caller may ask for: 12 hours, in seconds. */
  maxMinTtlSeconds: 43200,
} as const;

/**
 * Longest access token anywhere in mcp-token, in characters (8 KiB): the broker refuses a longer token
 * from the issuer, clients refuse one from the broker, and the MCP server refuses a longer bearer token.
 * One limit, so a token the broker hands out is never one the MCP server rejects. Auth0 RFC 9068 tokens
 * with custom claims and STS web-identity tokens are 1–2 KiB; 8 KiB is also the header line limit of
 * common proxies (nginx `large_client_header_buffers`), and Node's whole-header default is 16 KiB.
 */
export const MAX_ACCESS_TOKEN_LENGTH = 8192;

/** Bounds on the broker's responses, checked by clients before they trust a response. */
export const RESPONSE_LIMITS = {
  /** Longest access token accepted in a token response, in characters ({@link MAX_ACCESS_TOKEN_LENGTH}). */
  maxAccessTokenLength: MAX_ACCESS_TOKEN_LENGTH,
  /** Longest free-text field (`error_description`, audience, principal), in characters. */
  maxTextLength: 2048,
  /** Most profiles in a profiles response. */
  maxProfiles: 1000,
} as const;
