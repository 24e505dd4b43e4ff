/**
 * `Retry-After` header parsing (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 */

/** Longest delay {@link parseRetryAfter} will return: one hour, in milliseconds. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const MAX_HEADER_LENGTH = 64;

/**
 * Parse a `Retry-After` value into a delay in **milliseconds** from `nowMs`.
 *
 * - delay-seconds (`"120"`) → `120000`;
 * - an HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`) → the time until it, or `0` if it is in the past;
 * - the result is capped at {@link MAX_RETRY_AFTER_MS} (one hour);
 * - missing, empty, negative, fractional, over-long (> 64 characters) or unparsable values → `undefined`.
 *
 * @param value The header value (`headers.get("retry-after")`).
 * @param nowMs Current time, epoch milliseconds (used for HTTP-dates).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  if (v === "" || v.length > MAX_HEADER_LENGTH) return undefined;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  }
  // HTTP-date: require a weekday/month shape and "GMT" so numbers like "1.5" or "-1" are not dates.
  if (!/^[A-Za-z]{3},? [0-9A-Za-z :-]+ GMT$/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}
