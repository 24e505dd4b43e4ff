/**
 * The broker's wire error codes and their HTTP statuses (ARCHITECTURE.md, "Broker HTTP API").
 * OAuth-style codes; callers switch on the code, never on message text.
 */

/** Every broker error code mapped to the HTTP status it is sent with. */
export const BROKER_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  access_denied: 403,
  unknown_profile: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  upstream_rejected: 502,
  upstream_unavailable: 503,
} as const;

/** A broker error code: `invalid_request`, `access_denied`, … */
export type BrokerErrorCode = keyof typeof BROKER_ERROR_STATUS;

/** All broker error codes, in table order. */
export const BROKER_ERROR_CODES = Object.keys(BROKER_ERROR_STATUS) as [BrokerErrorCode, ...BrokerErrorCode[]];

/** True when `value` is one of the {@link BrokerErrorCode}s. */
export function isBrokerErrorCode(value: unknown): value is BrokerErrorCode {
  return typeof value === "string" && Object.hasOwn(BROKER_ERROR_STATUS, value);
}
