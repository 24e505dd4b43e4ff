/**
 * Why a request was refused by the auth layer. Each kind owns its HTTP status and its
 * `WWW-Authenticate` error code (RFC 6750 §3.1).
 */
export const AUTH_ERROR_KINDS = {
  /** No bearer credentials at all: 401, challenge without `error` (RFC 6750 §3.1; AgentCore does the same). */
  missing_token: { status: 401, challengeError: undefined },
  /** Malformed, unverifiable, expired or not-for-us token: 401 `invalid_token`. */
  invalid_token: { status: 401, challengeError: "invalid_token" },
  /** Valid token without an allowed scope: 403 `insufficient_scope`. */
  insufficient_scope: { status: 403, challengeError: "insufficient_scope" },
  /** Issuer metadata or signing keys could not be fetched: 503, no challenge. */
  unavailable: { status: 503, challengeError: undefined },
} as const;

export type AuthErrorKind = keyof typeof AUTH_ERROR_KINDS;

/**
 * A refused request. `message` is public (it goes into the JSON-RPC error body and never holds
 * token material); `reason` is a short stable code for logs and tests.
 */
export class AuthError extends Error {
  readonly status: number;
  constructor(
    readonly kind: AuthErrorKind,
    readonly reason: string,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AuthError";
    this.status = AUTH_ERROR_KINDS[kind].status;
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}
