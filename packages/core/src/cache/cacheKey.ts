/** Cache keys for tokens: profile plus sorted, de-duplicated scopes. */

/**
 * The cache key of a token request: `"<profile> <scope1> <scope2> …"` with scopes sorted and
 * de-duplicated. Unambiguous because neither profile names nor scope tokens contain spaces.
 *
 * @example cacheKey("default", ["write", "read", "write"]) // "default read write"
 */
export function cacheKey(profile: string, scopes: readonly string[]): string {
  if (scopes.length === 0) return profile;
  const sorted = [...new Set(scopes)].sort();
  return `${profile} ${sorted.join(" ")}`;
}
