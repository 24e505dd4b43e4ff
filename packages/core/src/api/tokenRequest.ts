/**
 * The token request (`POST /v1/token` JSON body and `GET /v1/token` query) and its validation.
 *
 * Both forms produce the same {@link TokenRequest}. Failures throw a `BrokerError("invalid_request")`
 * whose description names the offending field (`scopes[3]: …`, `min_ttl: …`) and what to do.
 */
import { z } from "zod";
import { formatIssuePath } from "../config/formatIssuePath.js";
import { BrokerError } from "../errors/brokerError.js";
import { TOKEN_REQUEST_LIMITS } from "./limits.js";

/** A profile name: a letter or digit, then up to 63 letters, digits, `.`, `_` or `-`. */
export const profileNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: "expected a profile name (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
});

/** One OAuth scope token (RFC 6749 §3.3: `%x21 / %x23-5B / %x5D-7E`), 1 to 128 characters. */
export const scopeSchema = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, {
  error: "expected a scope token (1-128 printable ASCII characters without space, '\"' or '\\')",
});

/** A validated token request. `scopes` is de-duplicated, in first-seen order. */
export interface TokenRequest {
  /** Profile name; `"default"` when the caller gave none. */
  profile: string;
  /** Requested scopes; empty means the profile's configured scopes. */
  scopes: string[];
  /** Minimum remaining lifetime of the returned token, in seconds (0..43200). Absent: the profile's default. */
  minTtlSeconds?: number;
  /**
   * `tokenFingerprint` of a token the caller saw rejected (revoked, or issued before a key rotation):
   * when the broker still holds that token it issues a new one instead of serving it again.
   */
  replaces?: string;
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Schema of the `POST /v1/token` JSON body: `{ profile?: string = "default", scopes?: string[],
 * minTtlSeconds?: int }`. Strict: unknown fields are rejected.
 */
export const tokenRequestBodySchema = z.strictObject({
  profile: profileNameSchema.default("default"),
  scopes: z
    .array(scopeSchema)
    .max(TOKEN_REQUEST_LIMITS.maxScopes, {
      error: `expected at most ${TOKEN_REQUEST_LIMITS.maxScopes} scopes`,
    })
    .default([])
    .transform(dedupe),
  minTtlSeconds: z
    .number({ error: "expected an integer number of seconds" })
    .int({ error: "expected an integer number of seconds" })
    .min(0, { error: "expected 0 or more seconds" })
    .max(TOKEN_REQUEST_LIMITS.maxMinTtlSeconds, {
      error: `expected at most ${TOKEN_REQUEST_LIMITS.maxMinTtlSeconds} seconds (12 hours)`,
    })
    .optional(),
  replaces: z
    .string()
    .regex(/^[0-9a-f]{12}$/, { error: "expected the 12-hex-digit tokenFingerprint of a rejected token" })
    .optional(),
});

function toRequest(data: z.output<typeof tokenRequestBodySchema>): TokenRequest {
  const out: TokenRequest = { profile: data.profile, scopes: data.scopes };
  if (data.minTtlSeconds !== undefined) out.minTtlSeconds = data.minTtlSeconds;
  if (data.replaces !== undefined) out.replaces = data.replaces;
  return out;
}

function describeIssues(error: z.ZodError, rename: Record<string, string> = {}): string {
  const parts: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) parts.push(`unknown field "${truncate(key)}"`);
      continue;
    }
    const path = issue.path.map((p) => (typeof p === "string" && rename[p] ? rename[p] : p));
    const where = formatIssuePath(path);
    parts.push(where ? `${where}: ${issue.message}` : issue.message);
  }
  return parts.join("; ");
}

function truncate(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * Validate a `POST /v1/token` JSON body.
 *
 * @param json The parsed JSON body (an object, or `undefined`/`null` for an empty body, which means all defaults).
 * @returns the validated request.
 * @throws BrokerError `invalid_request`, naming the field, e.g. `scopes[1]: expected a scope token …`.
 */
export function parseTokenRequestBody(json: unknown): TokenRequest {
  const input = json === undefined || json === null ? {} : json;
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new BrokerError(
      "invalid_request",
      'request body must be a JSON object such as {"profile":"default","scopes":["invoke"]}',
    );
  }
  const result = tokenRequestBodySchema.safeParse(input);
  if (!result.success) {
    throw new BrokerError(
      "invalid_request",
      `${describeIssues(result.error)}; allowed fields are profile, scopes, minTtlSeconds, replaces`,
    );
  }
  return toRequest(result.data);
}

const QUERY_PARAMS = new Set(["profile", "scope", "min_ttl"]);
const MAX_SCOPE_PARAM_LENGTH = TOKEN_REQUEST_LIMITS.maxScopes * (TOKEN_REQUEST_LIMITS.maxScopeLength + 1);

/**
 * Validate a `GET /v1/token` query: `profile`, `scope` (space-separated, `+` in URLs), `min_ttl` (seconds).
 * Unknown or repeated parameters are rejected.
 *
 * @throws BrokerError `invalid_request` naming the parameter.
 */
export function parseTokenRequestQuery(params: URLSearchParams): TokenRequest {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!QUERY_PARAMS.has(key)) {
      throw new BrokerError(
        "invalid_request",
        `unknown query parameter "${truncate(key)}"; allowed are profile, scope, min_ttl`,
      );
    }
    if (seen.has(key)) {
      throw new BrokerError(
        "invalid_request",
        `query parameter "${key}" given more than once; separate scopes with spaces (+) in one scope parameter`,
      );
    }
    seen.add(key);
  }
  const body: Record<string, unknown> = {};
  const profile = params.get("profile");
  if (profile !== null) body.profile = profile;
  const scope = params.get("scope");
  if (scope !== null) {
    if (scope.length > MAX_SCOPE_PARAM_LENGTH) {
      throw new BrokerError("invalid_request", `scope: longer than ${MAX_SCOPE_PARAM_LENGTH} characters`);
    }
    body.scopes = scope.split(" ").filter((s) => s !== "");
  }
  const minTtl = params.get("min_ttl");
  if (minTtl !== null) {
    if (!/^\d{1,6}$/.test(minTtl)) {
      throw new BrokerError("invalid_request", "min_ttl: expected an integer number of seconds (0..43200)");
    }
    body.minTtlSeconds = Number(minTtl);
  }
  const result = tokenRequestBodySchema.safeParse(body);
  if (!result.success) {
    throw new BrokerError(
      "invalid_request",
      describeIssues(result.error, { scopes: "scope", minTtlSeconds: "min_ttl" }),
    );
  }
  return toRequest(result.data);
}
