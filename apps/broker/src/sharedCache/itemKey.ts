/**
 * The shared cache's item key: a hash, so the table shows neither profile names nor scopes.
 *
 * `t1#` + base64url(SHA-256(`mcp-token/shared-token-cache/v1` ‖ issuer ‖ audience ‖ cache key)), with
 * NUL separators. The issuer and audience are part of it, so a profile whose issuer or audience changes
 * in a new deployment never finds the previous deployment's tokens.
 */
import { createHash } from "node:crypto";

/** Prefix of every item key; bumped with the key format. */
export const ITEM_KEY_PREFIX = "t1#";

/** Length of an item key: prefix + 43 base64url characters. */
export const ITEM_KEY_LENGTH = ITEM_KEY_PREFIX.length + 43;

/**
 * Item key for a token of `issuer`/`audience` under the in-memory `cacheKey` (core `cacheKey(profile, scopes)`).
 *
 * @example
 * sharedItemKey({ issuer: "https://t.auth0.com/", audience: "https://mcp/", cacheKey: cacheKey("default", []) })
 */
export function sharedItemKey(parts: { issuer: string; audience: string; cacheKey: string }): string {
  const digest = createHash("sha256")
    .update(["mcp-token/shared-token-cache/v1", parts.issuer, parts.audience, parts.cacheKey].join("\0"))
    .digest("base64url");
  return `${ITEM_KEY_PREFIX}${digest}`;
}
