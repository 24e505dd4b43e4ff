/**
 * Plain data shared by the broker's modules. A leaf: it imports nothing from the broker, so services
 * depend on it and never on each other for types.
 */
import type { CacheOutcome } from "@mcp-token/core";

/**
 * How the shared (DynamoDB) tier produced a token a request waited for: `hit` (from the table),
 * `miss` (issued here and stored), `wait` (another instance's issuance, after waiting on its lease),
 * `fallback` (the table failed; issued here).
 */
export type SharedCacheOutcome = "hit" | "miss" | "wait" | "fallback";

/** A token held in the broker's cache. */
export interface CachedToken {
  accessToken: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /** Granted scope string (issuer's `scope`, else the requested scopes). */
  scope: string;
  /** `tokenFingerprint` of the token, for logs. */
  fingerprint: string;
  /** How the shared tier produced this token, when it went through one. */
  sharedCache?: SharedCacheOutcome;
}

/** Fields of one request's audit line. Unknown values stay undefined and are omitted. */
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
  /** The profile's identity mode: `caller` tokens name the principal above in their claims. */
  identity?: "shared" | "caller";
  scopes?: readonly string[];
  /** `"ok"` or the error code returned. */
  outcome: string;
  status: number;
  /** Token cache outcome for token requests. */
  cache?: CacheOutcome;
  /** Shared tier outcome, when the request waited for a fetch that went through it. */
  sharedCache?: SharedCacheOutcome;
  /** Served token's expiry, RFC 3339. */
  tokenExpiresAt?: string;
  /**
   * Short hash of the served token's `jti` or signature (never the token): the join key with the MCP
   * server's request log, which logs the same fingerprint of the token it verified.
   */
  tokenFingerprint?: string;
  durationMs: number;
}
