/**
 * Failures talking to the issuer, before they are mapped to the broker's wire errors.
 *
 * `rejected`: the issuer answered and refused (4xx, or an unusable answer) → `upstream_rejected` 502.
 * `unavailable`: network error, timeout, 5xx or 429 → `upstream_unavailable` 503 with `Retry-After`.
 * `error` / `description` are the issuer's OAuth fields, already scrubbed of secrets and bounded.
 */

/** Kind of upstream failure. */
export type UpstreamErrorKind = "rejected" | "unavailable";

/** An issuer failure. */
export class UpstreamError extends Error {
  readonly code = "ERR_UPSTREAM";
  /** Issuer's OAuth `error` code (scrubbed), when it sent one. */
  readonly error: string | undefined;
  /** Issuer's `error_description` (scrubbed, at most 300 chars), when it sent one. */
  readonly description: string | undefined;
  /** HTTP status from the issuer, when there was a response. */
  readonly status: number | undefined;
  /** Delay the issuer asked for (`Retry-After`), milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    opts: {
      error?: string;
      description?: string;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "UpstreamError";
    this.error = opts.error;
    this.description = opts.description;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  /** True when the issuer refused the client credentials (the rotation case). */
  get isInvalidClient(): boolean {
    return this.kind === "rejected" && this.error === "invalid_client";
  }
}

/** True for {@link UpstreamError}. */
export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
