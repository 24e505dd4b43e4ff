/**
 * Interprets the issuer's answer to a token request: validates a success body (zod, size already
 * bounded by the caller) and turns anything else into an {@link UpstreamError} carrying the issuer's
 * `error` / `error_description`, scrubbed of secrets and JWT-shaped strings and length-bounded.
 */
import { MAX_ACCESS_TOKEN_LENGTH, parseRetryAfter, redactSecrets, toPrintable } from "@mcp-token/core";
import { z } from "zod";
import { UpstreamError } from "./errors.js";

/** A token as the issuer returned it. */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime from the issuer's `expires_in`, seconds. */
  expiresInSeconds: number;
  /** Granted scope string, when the issuer sent one. */
  scope: string | undefined;
}

/** Longest token lifetime accepted (Auth0's 30-day maximum), seconds. */
export const MAX_EXPIRES_IN_SECONDS = 2_592_000;

const successSchema = z.object({
  access_token: z.string().min(1).max(MAX_ACCESS_TOKEN_LENGTH),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.coerce.number().int().positive().max(MAX_EXPIRES_IN_SECONDS),
  scope: z.string().max(4096).optional(),
});

const errorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

function scrub(value: string | undefined, secrets: readonly string[], max: number): string | undefined {
  if (value === undefined) return undefined;
  // Redact the whole (already size-bounded) text first: cutting first would leave the start of a
  // secret that straddles the cut in place, where redaction can no longer recognise it.
  const printable = toPrintable(redactSecrets(value, secrets)).replace(/[^\x20-\x7E]/g, " ");
  const cleaned = printable.slice(0, max).trim();
  return cleaned || undefined;
}

/**
 * Validates a 200 body; throws {@link UpstreamError} `rejected` when it is not a usable Bearer token.
 */
export function parseTokenSuccess(text: string): IssuedToken {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpstreamError("rejected", "the issuer's token response is not JSON");
  }
  const parsed = successSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].join(", ");
    throw new UpstreamError("rejected", `the issuer's token response is invalid (${fields})`);
  }
  return {
    accessToken: parsed.data.access_token,
    expiresInSeconds: parsed.data.expires_in,
    scope: parsed.data.scope,
  };
}

/**
 * Maps a non-200 answer to an {@link UpstreamError}: 429, 5xx and 408 are `unavailable` (with the
 * `Retry-After` delay), other statuses `rejected`.
 */
export function upstreamErrorFromResponse(
  status: number,
  headers: Headers,
  text: string,
  secrets: readonly string[],
  nowMs: number,
): UpstreamError {
  let fields: z.infer<typeof errorSchema> = {};
  try {
    const parsed = errorSchema.safeParse(JSON.parse(text));
    if (parsed.success) fields = parsed.data;
  } catch {
    // not JSON: keep only the status
  }
  const error = fields.error && ERROR_CODE.test(fields.error) ? scrub(fields.error, secrets, 64) : undefined;
  const description = scrub(fields.error_description, secrets, 300);
  const transient = status === 429 || status === 408 || status >= 500;
  const retryAfterMs = transient ? parseRetryAfter(headers.get("retry-after"), nowMs) : undefined;
  return new UpstreamError(
    transient ? "unavailable" : "rejected",
    `the issuer answered ${status}${error ? ` ${error}` : ""}${description ? `: ${description}` : ""}`,
    {
      status,
      ...(error && { error }),
      ...(description && { description }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    },
  );
}
