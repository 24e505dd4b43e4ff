import { MAX_ACCESS_TOKEN_LENGTH } from "@mcp-token/core";
import { AuthError } from "./errors.js";

/** Longest bearer token accepted, in characters: core's one limit for every token in mcp-token. */
export const MAX_TOKEN_LENGTH = MAX_ACCESS_TOKEN_LENGTH;

const BEARER = /^Bearer +(.*)$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/**
 * The bearer token of a request (RFC 6750 §2.1), shape-checked but not verified.
 *
 * @throws {AuthError} `missing_token` without an `Authorization: Bearer` header; `invalid_token`
 *   for an empty, oversized (> {@link MAX_TOKEN_LENGTH}) or non-JWS value.
 */
export function readBearerToken(headers: Headers): string {
  const header = headers.get("authorization");
  if (header === null || header.trim() === "") {
    throw new AuthError("missing_token", "missing", "Missing Bearer token in the Authorization header.");
  }
  if (header.length > MAX_TOKEN_LENGTH + 16) {
    throw new AuthError("invalid_token", "too_large", "The Authorization header is too large.");
  }
  if (/^Bearer\s*$/i.test(header))
    throw new AuthError("invalid_token", "empty", "The Bearer token is empty.");
  const match = BEARER.exec(header);
  if (!match) {
    throw new AuthError(
      "missing_token",
      "not_bearer",
      "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <access token>'.",
    );
  }
  const token = (match[1] ?? "").trim();
  if (token === "") throw new AuthError("invalid_token", "empty", "The Bearer token is empty.");
  if (!COMPACT_JWS.test(token)) {
    throw new AuthError("invalid_token", "malformed", "The Bearer token is not a JWT.");
  }
  return token;
}
