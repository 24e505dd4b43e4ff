/**
 * Stable codes for {@link StsTokenError}:
 * - `ERR_STS_FEDERATION_DISABLED`: the account has not enabled outbound identity federation.
 * - `ERR_STS_ACCESS_DENIED`: no policy allows `sts:GetWebIdentityToken` for this audience/duration.
 * - `ERR_STS_GLOBAL_ENDPOINT`: the request went to the STS global endpoint, which does not offer it.
 * - `ERR_STS_INVALID_REQUEST`: STS refused the parameters (`ValidationError` and the like).
 * - `ERR_STS_UNAVAILABLE`: STS could not be reached or failed (network, throttling, 5xx).
 */
export type StsTokenErrorCode =
  | "ERR_STS_FEDERATION_DISABLED"
  | "ERR_STS_ACCESS_DENIED"
  | "ERR_STS_GLOBAL_ENDPOINT"
  | "ERR_STS_INVALID_REQUEST"
  | "ERR_STS_UNAVAILABLE";

/** STS `GetWebIdentityToken` failed; the message names the fix. AWS's own text is kept as `cause`. */
export class StsTokenError extends Error {
  readonly code: StsTokenErrorCode;
  /** AWS's error code (`AccessDenied`, `OutboundWebIdentityFederationDisabledException`, …), when there was one. */
  readonly awsCode: string | undefined;

  constructor(code: StsTokenErrorCode, message: string, opts: { cause?: unknown; awsCode?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "StsTokenError";
    this.code = code;
    this.awsCode = opts.awsCode;
  }
}

/** `true` when `e` is a {@link StsTokenError} (also across bundled copies of this package). */
export function isStsTokenError(e: unknown): e is StsTokenError {
  return e instanceof StsTokenError || (e instanceof Error && e.name === "StsTokenError" && "code" in e);
}
