/**
 * `BrokerError`: the one error type of the broker API, owning its wire format in both directions.
 * The broker throws it and turns it into a response with {@link BrokerError.toResponse}; clients turn a
 * response back into the same error with {@link BrokerError.fromResponse}. `description` is public text
 * (what to do next); never put secrets or upstream bodies in it — keep those in `cause`, for logs.
 */
import { type ErrorBody, errorBodySchema } from "../api/errorBody.js";
import { BodyTooLargeError, readBoundedText } from "../http/readBounded.js";
import { redactSecrets } from "../redact.js";
import { parseRetryAfter } from "../retry/retryAfter.js";
import { toPrintable } from "../text/printable.js";
import { BROKER_ERROR_STATUS, type BrokerErrorCode } from "./codes.js";

/** Options of the {@link BrokerError} constructor. */
export interface BrokerErrorOptions {
  /** The underlying error (logged, never sent). */
  cause?: unknown;
  /** The request id the error belongs to (set when decoded from a response). */
  requestId?: string;
  /** Seconds the caller should wait before retrying; sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /**
   * The HTTP status actually seen, when it differs from the code's status (only for errors decoded from
   * responses that were not broker error bodies). Default `BROKER_ERROR_STATUS[code]`.
   */
  status?: number;
}

/** An error response as plain data: what {@link BrokerError.toPlainResponse} returns. */
export interface PlainErrorResponse {
  status: number;
  /** Header values by lower-case name. */
  headers: Record<string, string>;
  /** The JSON error body. */
  body: string;
}

/** Largest error body {@link BrokerError.fromResponse} reads, in bytes (64 KiB). */
export const MAX_ERROR_BODY_BYTES = 65536;

/** A broker error with an OAuth-style code, its HTTP status and a public description. */
export class BrokerError extends Error {
  /** Wire code, e.g. `access_denied`. */
  readonly code: BrokerErrorCode;
  /** HTTP status (normally `BROKER_ERROR_STATUS[code]`). */
  readonly status: number;
  /** Public, actionable description (`error_description` on the wire). */
  readonly description: string;
  /** Request id, when known. */
  readonly requestId?: string;
  /** Retry delay in seconds, when the broker asked for one. */
  readonly retryAfterSeconds?: number;

  /**
   * @param code Wire code.
   * @param description Public text: what happened and what to do next. Never secrets.
   */
  constructor(code: BrokerErrorCode, description: string, opts: BrokerErrorOptions = {}) {
    super(description, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "BrokerError";
    this.code = code;
    this.status = opts.status ?? BROKER_ERROR_STATUS[code];
    this.description = description;
    if (opts.requestId !== undefined) this.requestId = opts.requestId;
    if (opts.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = Math.max(0, Math.ceil(opts.retryAfterSeconds));
    }
  }

  /** The JSON error body for `requestId`. */
  toBody(requestId: string): ErrorBody {
    return { error: this.code, error_description: this.description, request_id: requestId };
  }

  /**
   * The error's wire response as plain data (the one place the broker's error responses are built):
   * the code's status, the JSON error body, `content-type: application/json`, `cache-control: no-store`
   * and, when `retryAfterSeconds` is set, `retry-after`. Header names are lower case.
   *
   * @param requestId Sent as `request_id`.
   * @param headers Extra headers, lower-case names (they do not override the ones above).
   */
  toPlainResponse(requestId: string, headers?: Readonly<Record<string, string>>): PlainErrorResponse {
    const h: Record<string, string> = { ...headers };
    h["content-type"] = "application/json";
    h["cache-control"] = "no-store";
    if (this.retryAfterSeconds !== undefined) h["retry-after"] = String(this.retryAfterSeconds);
    return {
      status: BROKER_ERROR_STATUS[this.code],
      headers: h,
      body: JSON.stringify(this.toBody(requestId)),
    };
  }

  /** {@link toPlainResponse} as a web `Response`. */
  toResponse(requestId: string, headers?: Readonly<Record<string, string>>): Response {
    const plain = this.toPlainResponse(requestId, headers);
    return new Response(plain.body, { status: plain.status, headers: plain.headers });
  }

  /**
   * Rebuild an error from an HTTP status and a parsed body. A valid broker error body gives back its
   * code and description; anything else (an AWS Function URL error such as `{"Message":"Forbidden"}`,
   * HTML from a proxy) is mapped from the status: 401 → `unauthorized`, 403 → `access_denied`,
   * 404 → `unknown_profile`, 405 → `method_not_allowed`, 413 → `payload_too_large`,
   * 429 → `rate_limited`, 502/503/504 → `upstream_unavailable`, anything else → `internal_error`, keeping the real `status`.
   *
   * @param headers Response headers; `Retry-After` (seconds or HTTP-date) becomes `retryAfterSeconds`.
   */
  static fromBody(status: number, body: unknown, headers?: Headers): BrokerError {
    const retryAfterMs = parseRetryAfter(headers?.get("retry-after"), Date.now());
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) {
      const opts: BrokerErrorOptions = { requestId: parsed.data.request_id };
      if (retryAfterSeconds !== undefined) opts.retryAfterSeconds = retryAfterSeconds;
      if (status !== BROKER_ERROR_STATUS[parsed.data.error]) opts.status = status;
      // The description is remote text that people will read in a terminal: no control characters.
      return new BrokerError(parsed.data.error, toPrintable(parsed.data.error_description), opts);
    }
    const code = codeForStatus(status);
    const awsMessage = extractMessage(body);
    const detail = awsMessage ? `: ${awsMessage}` : "";
    const opts: BrokerErrorOptions = { status };
    if (retryAfterSeconds !== undefined) opts.retryAfterSeconds = retryAfterSeconds;
    return new BrokerError(
      code,
      `broker returned HTTP ${status} without a broker error body${detail}; check the broker URL and your AWS credentials, or run \`mcp-token doctor\``,
      opts,
    );
  }

  /**
   * Read a non-2xx `Response` (at most {@link MAX_ERROR_BODY_BYTES} of body) and decode it with
   * {@link BrokerError.fromBody}. Never throws for a bad body.
   */
  static async fromResponse(res: Response): Promise<BrokerError> {
    let body: unknown;
    try {
      const text = await readBounded(res, MAX_ERROR_BODY_BYTES);
      body = text === undefined ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return BrokerError.fromBody(res.status, body, res.headers);
  }
}

/** True when `e` is a {@link BrokerError}. */
export function isBrokerError(e: unknown): e is BrokerError {
  return e instanceof BrokerError;
}

function codeForStatus(status: number): BrokerErrorCode {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 403:
      return "access_denied";
    case 404:
      return "unknown_profile";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 429:
      return "rate_limited";
    case 502:
    case 503:
    case 504:
      return "upstream_unavailable";
    default:
      return "internal_error";
  }
}

function extractMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const candidate = record.Message ?? record.message ?? record.error_description ?? record.error;
  if (typeof candidate !== "string" || candidate === "") return undefined;
  const clean = redactSecrets(toPrintable(candidate));
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** The body as text, or `undefined` when it is larger than `maxBytes` (it is then cancelled). */
async function readBounded(res: Response, maxBytes: number): Promise<string | undefined> {
  if (!res.body) return undefined;
  try {
    return await readBoundedText(res.body, maxBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return undefined;
    throw e;
  }
}
