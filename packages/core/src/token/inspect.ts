/**
 * Decode a JWT access token for diagnostics **without verifying it**. Never use the result for an
 * authorisation decision. The summary never contains the raw token or its signature.
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { MAX_ACCESS_TOKEN_LENGTH } from "../api/limits.js";
import { TokenInspectionError } from "./errors.js";
import { summarizeClaims, type TokenSummary } from "./summarize.js";

/** Longest token {@link inspectToken} accepts, in characters (16 KiB). */
export const MAX_INSPECT_TOKEN_LENGTH = MAX_ACCESS_TOKEN_LENGTH;

/** Strip surrounding whitespace and an optional `Bearer ` prefix. */
function clean(token: string): string {
  const t = token.trim();
  return /^bearer\s+/i.test(t) ? t.replace(/^bearer\s+/i, "") : t;
}

/**
 * Decode and summarise a JWS-compact JWT without verifying its signature.
 *
 * @param token The access token (a leading `Bearer ` is accepted).
 * @param nowMs Current time, epoch milliseconds, for `secondsLeft`. Default `Date.now()`.
 * @throws TokenInspectionError (`ERR_TOKEN_MALFORMED`) for non-strings, tokens over 16 KiB, encrypted
 *   (JWE) tokens and anything that is not a decodable JWT. The message never contains the token.
 */
export function inspectToken(token: string, nowMs: number = Date.now()): TokenSummary {
  if (typeof token !== "string") throw new TokenInspectionError("token must be a string");
  if (token.length > MAX_INSPECT_TOKEN_LENGTH) {
    throw new TokenInspectionError(`token is longer than ${MAX_INSPECT_TOKEN_LENGTH} characters`);
  }
  const t = clean(token);
  const parts = t.split(".");
  if (parts.length === 5) throw new TokenInspectionError("token is encrypted (JWE) and cannot be inspected");
  if (parts.length !== 3) {
    throw new TokenInspectionError(
      "token is not a JWT (expected three base64url parts separated by '.'); it may be an opaque token: did the request include an audience?",
    );
  }
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(t) as Record<string, unknown>;
    claims = decodeJwt(t) as Record<string, unknown>;
  } catch {
    throw new TokenInspectionError(
      "token is not a decodable JWT (bad base64url or JSON in header or payload)",
    );
  }
  return summarizeClaims(claims, header, nowMs);
}
