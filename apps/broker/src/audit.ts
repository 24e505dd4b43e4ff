/**
 * One structured audit line per request (message `"audit"`), written through the injected logger.
 * It names who asked for what and what happened; it carries the token's `tokenFingerprint` (a short
 * hash of its `jti` or signature) for correlation and never the token itself.
 */
import type { CacheOutcome } from "@mcp-token/core";
import type { BrokerLogger } from "./logger.js";
import type { SharedCacheOutcome } from "./sharedCache/tier.js";

/** Fields of an audit line. Unknown values stay undefined and are omitted from the JSON. */
export interface AuditRecord {
  requestId: string;
  method: string;
  path: string;
  /** Caller ARN as reported by IAM. */
  principal?: string;
  /** Session-independent principal (`arn:aws:iam::A:role/R`). */
  normalizedPrincipal?: string;
  accountId?: string;
  profile?: string;
  scopes?: readonly string[];
  /** `"ok"` or the error code returned. */
  outcome: string;
  status: number;
  /** Token cache outcome for token requests. */
  cache?: CacheOutcome;
  /**
   * Shared (DynamoDB) tier outcome, when the request waited for a fetch through it: `hit` (from the
   * table), `miss` (issued here and stored), `wait` (another instance's issuance, after waiting on its
   * lease), `fallback` (the table failed; issued here).
   */
  sharedCache?: SharedCacheOutcome;
  /** Served token's expiry, RFC 3339. */
  tokenExpiresAt?: string;
  /** Short hash of the served token's `jti` or signature. */
  tokenFingerprint?: string;
  durationMs: number;
}

/**
 * A record for `request` with every field in place (fixed shape, in the order the line shows them):
 * `outcome` `"ok"`, `status` and `durationMs` 0 until the request ends; the rest filled in on the way.
 */
export function newAuditRecord(request: { requestId: string; method: string; path: string }): AuditRecord {
  return {
    requestId: request.requestId,
    method: request.method,
    path: request.path.slice(0, 200),
    principal: undefined,
    normalizedPrincipal: undefined,
    accountId: undefined,
    profile: undefined,
    scopes: undefined,
    outcome: "ok",
    status: 0,
    cache: undefined,
    sharedCache: undefined,
    tokenExpiresAt: undefined,
    tokenFingerprint: undefined,
    durationMs: 0,
  };
}

/**
 * Writes `record` as one line with message `"audit"`: through the logger's own `audit` when it has one
 * (the production logger's fast path), else as an `info` line whose attributes are the defined fields.
 */
export function writeAudit(logger: BrokerLogger, record: Readonly<AuditRecord>): void {
  if (logger.audit) {
    logger.audit(record);
    return;
  }
  logger.info("audit", definedFields(record));
}

/** The fields of `record` that have a value (Powertools also drops `null` and `""`). */
export function definedFields(record: Readonly<AuditRecord>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) attributes[key] = value;
  }
  return attributes;
}
