/**
 * Stable codes for {@link CredentialsError}:
 * - `ERR_AWS_CREDENTIALS_NOT_FOUND`: the AWS provider chain found nothing (no profile, env or role).
 * - `ERR_AWS_SSO_SESSION_EXPIRED`: the profile uses IAM Identity Center and its session expired or is missing.
 * - `ERR_AWS_CREDENTIALS_EXPIRED`: AWS rejected the signature because the credentials have expired.
 * - `ERR_AWS_CREDENTIALS_INVALID`: AWS does not recognise the access key or session token.
 * - `ERR_AWS_CREDENTIALS_UNAVAILABLE`: credentials are configured but could not be obtained (e.g. AssumeRole failed).
 */
export type CredentialsErrorCode =
  | "ERR_AWS_CREDENTIALS_NOT_FOUND"
  | "ERR_AWS_SSO_SESSION_EXPIRED"
  | "ERR_AWS_CREDENTIALS_EXPIRED"
  | "ERR_AWS_CREDENTIALS_INVALID"
  | "ERR_AWS_CREDENTIALS_UNAVAILABLE";

/**
 * No usable AWS credentials. The message always names the command that fixes it
 * (`aws sso login --profile X`, `aws configure`).
 *
 * @example
 * ```ts
 * try { await source.getToken(); } catch (e) { if (e instanceof CredentialsError) console.error(e.message); }
 * ```
 */
export class CredentialsError extends Error {
  readonly code: CredentialsErrorCode;
  /** The AWS profile the lookup used, if any. */
  readonly awsProfile: string | undefined;

  constructor(
    code: CredentialsErrorCode,
    message: string,
    opts: { cause?: unknown; awsProfile?: string } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "CredentialsError";
    this.code = code;
    this.awsProfile = opts.awsProfile;
  }
}

/** `true` when `e` is a {@link CredentialsError} (also across bundled copies of this package). */
export function isCredentialsError(e: unknown): e is CredentialsError {
  return (
    e instanceof CredentialsError || (e instanceof Error && e.name === "CredentialsError" && "code" in e)
  );
}
