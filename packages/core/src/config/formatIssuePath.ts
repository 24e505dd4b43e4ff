/** Render a validation path the way a person writes it in JSON/JS: `profiles.default.allow[2]`. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Format a path of keys and indices: identifiers joined with `.`, numbers as `[n]`, other keys as
 * `['my profile']` (quotes and backslashes escaped). An empty path gives `""`.
 *
 * @example formatIssuePath(["profiles", "default", "allow", 2]) // "profiles.default.allow[2]"
 * @example formatIssuePath(["profiles", "my profile"])          // "profiles['my profile']"
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else {
      const key = typeof segment === "symbol" ? String(segment) : segment;
      if (IDENTIFIER.test(key)) {
        out += out === "" ? key : `.${key}`;
      } else {
        out += `['${key.replace(/[\\']/g, (c) => `\\${c}`)}']`;
      }
    }
  }
  return out;
}
