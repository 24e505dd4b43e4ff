/** Errors of token inspection. */

/** A string that is not an inspectable JWS-compact JWT. The message never contains the token. */
export class TokenInspectionError extends Error {
  /** Stable code. */
  readonly code = "ERR_TOKEN_MALFORMED" as const;

  constructor(message: string) {
    super(message);
    this.name = "TokenInspectionError";
  }
}
