// The disk cache's file format, read without zod. Why by hand: `mcp-token headers` runs as a new
// process on every MCP connect and must start in little more than bare Node; loading zod (about
// 250 KB of JavaScript to parse and compile) would double its start-up cost. The file is one we
// wrote ourselves, from a response the broker client had already validated with zod, but it is
// still input from disk (another version, a crash, a curious user): every field is checked for
// presence, type and the same bounds as `tokenResponseSchema` in @mcp-token/core before it is used,
// and anything else makes the entry a miss. test/node/cacheEntry.test.ts keeps the two in step.
import { RESPONSE_LIMITS, type TokenResponse } from "@mcp-token/core";
import type { StoredToken } from "../tokenSource/tokenStore.js";

/** Version of the cache file format; entries with another version are misses. */
export const CACHE_FORMAT_VERSION = 1;

const PROFILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/**
 * RFC 3339 with seconds and a `Z` or `±hh:mm` offset, as `z.iso.datetime({ offset: true })`, except
 * that day 29-31 is not checked against the month: the broker client rejected such a response, so
 * no file we wrote holds one, and expiry is taken from `expires_in` and `obtainedAt` anyway.
 */
const DATE_TIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const MAX_SCOPE_LENGTH = 4224;

/** The file body for a stored token. */
export function formatCacheEntry(token: StoredToken): string {
  return JSON.stringify({
    v: CACHE_FORMAT_VERSION,
    obtainedAt: token.obtainedAt,
    expiresAt: token.expiresAt,
    response: token.response,
  });
}

/** Parses a cache file body; `undefined` for anything that is not exactly a current entry. */
export function parseCacheEntry(text: string): StoredToken | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== CACHE_FORMAT_VERSION) return undefined;
  const { obtainedAt, expiresAt } = value;
  if (!isTime(obtainedAt) || !isTime(expiresAt) || expiresAt <= obtainedAt) return undefined;
  const response = parseTokenResponse(value.response);
  return response && { obtainedAt, expiresAt, response };
}

/**
 * The hand-written twin of `tokenResponseSchema`: same fields, types and bounds; unknown fields
 * are dropped, as zod's object schemas strip them.
 */
export function parseTokenResponse(value: unknown): TokenResponse | undefined {
  if (!isRecord(value)) return undefined;
  const { access_token, token_type, expires_in, expires_at, scope, profile } = value;
  if (
    typeof access_token !== "string" ||
    access_token.length < 1 ||
    access_token.length > RESPONSE_LIMITS.maxAccessTokenLength
  )
    return undefined;
  if (token_type !== "Bearer") return undefined;
  if (typeof expires_in !== "number" || !Number.isSafeInteger(expires_in) || expires_in < 0) return undefined;
  if (typeof expires_at !== "string" || !DATE_TIME.test(expires_at)) return undefined;
  if (typeof scope !== "string" || scope.length > MAX_SCOPE_LENGTH) return undefined;
  if (typeof profile !== "string" || !PROFILE.test(profile)) return undefined;
  return { access_token, token_type, expires_in, expires_at, scope, profile };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Epoch milliseconds: a finite, non-negative number. */
function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
