/**
 * Redaction for anything that might reach a log or an error message: JWTs, `Bearer` and `Basic`
 * credentials, `client_secret` values, and any secret the caller names (also URL- or form-encoded).
 */

/** The replacement text. */
export const REDACTED = "[REDACTED]";

// A JWS/JWE compact serialisation: base64url header starting with `eyJ` (`{"`), then 2 or 4 more parts.
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
// RFC 7617 Basic credentials (base64 of `client_id:client_secret` in the `oauth2` request style).
const BASIC = /\b(Basic)\s+[A-Za-z0-9+/=_-]{4,}/gi;
const CLIENT_SECRET = /("?client_secret"?\s*[:=]\s*"?)[^"&\s,}]+/gi;

/**
 * Replace JWT-shaped strings, `Bearer <credential>`, `Basic <credential>`, `client_secret` values and
 * each of `secrets` — raw, URL-encoded and form-encoded (those at least 4 characters long; shorter ones
 * would redact ordinary text) — with `[REDACTED]`.
 *
 * @param text Text to clean (a log line, an upstream error body).
 * @param secrets Exact secret values to remove, e.g. the client secret. Default none.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // An issuer that echoes its input may return the secret as sent: URL- or form-encoded, or base64
  // inside a Basic credential. Each encoded form is removed too, longest first.
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  return out
    .replace(JWT_SHAPE, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(BASIC, `$1 ${REDACTED}`)
    .replace(CLIENT_SECRET, `$1${REDACTED}`);
}
