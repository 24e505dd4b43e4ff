/**
 * Redaction for anything that might reach a log or an error message: JWTs, `Bearer` credentials,
 * `client_secret` values, and any secret the caller names.
 */

/** The replacement text. */
export const REDACTED = "[REDACTED]";

// A JWS/JWE compact serialisation: base64url header starting with `eyJ` (`{"`), then 2 or 4 more parts.
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const CLIENT_SECRET = /("?client_secret"?\s*[:=]\s*"?)[^"&\s,}]+/gi;

/**
 * Replace JWT-shaped strings, `Bearer <credential>`, `client_secret` values and each of `secrets`
 * (those at least 4 characters long; shorter ones would redact ordinary text) with `[REDACTED]`.
 *
 * @param text Text to clean (a log line, an upstream error body).
 * @param secrets Exact secret values to remove, e.g. the client secret. Default none.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const sorted = secrets
    .filter((s) => typeof s === "string" && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  return out
    .replace(JWT_SHAPE, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(CLIENT_SECRET, `$1${REDACTED}`);
}
