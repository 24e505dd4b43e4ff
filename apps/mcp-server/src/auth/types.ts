import type { TokenSummary } from "@mcp-token/core";
import type { AuthMode } from "../config.js";

/**
 * The caller as the server sees it: a summary of the token's claims (core's `TokenSummary`: issuer,
 * subject, client id and the claim it came from, scopes, audience, expiry, profile). Never holds the
 * raw token or its signature. Only `jwt` mode produces one, after verifying the token; `verified`
 * stays in the type so `whoami`'s output keeps its field.
 */
export interface Caller {
  mode: AuthMode;
  verified: boolean;
  token: TokenSummary;
  /**
   * core `tokenFingerprint` of the verified token: the join key with the broker's audit line for the
   * same token (`tokenFingerprint` there too). Safe to log; never reveals the token.
   */
  tokenFingerprint?: string;
}

/** What the auth layer reports for the request log. */
export type AuthOutcome =
  | "verified" // jwt: token verified
  | "rejected" // jwt: 401/403
  | "unavailable" // jwt: issuer metadata or keys could not be fetched (503)
  | "ping" // MCP ping answered by the server itself for health probes (auth/healthPing.ts)
  | "delegated" // agentcore: AgentCore Runtime verified the caller; nothing checked or read here
  | "disabled"; // none

/** The result of authenticating one request. */
export interface AuthResult {
  outcome: AuthOutcome;
  caller?: Caller;
}

/** One auth mode. `authenticate` throws an `AuthError` to refuse the request. */
export interface Authenticator {
  readonly mode: AuthMode;
  authenticate(request: Request): Promise<AuthResult>;
  /** RFC 9728 metadata for this server, when the mode serves it (`jwt`). */
  protectedResourceMetadata?(resource: string): Promise<Record<string, unknown>>;
  /** Starts fetching issuer metadata and keys ahead of the first request; never throws. */
  warmUp?(): Promise<void>;
}
