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

/** Bounds on the broker's responses, checked by clients before they trust a response. */
export const RESPONSE_LIMITS = {
  /** Longest access token accepted in a token response, in characters (16 KiB). */
  maxAccessTokenLength: 16384,
  /** Longest free-text field (`error_description`, audience, principal), in characters. */
  maxTextLength: 2048,
  /** Most profiles in a profiles response. */
  maxProfiles: 1000,
} as const;
