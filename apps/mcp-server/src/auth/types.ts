import type { AuthMode } from "../config.js";

/** Which access-token profile a token follows (see FACTS: Auth0 vs RFC 9068). */
export type TokenProfile = "rfc9068" | "auth0" | "unknown";

/**
 * The caller as the server sees it, built from the token's claims. Never holds the raw token or
 * its signature. `verified` is true only when this server checked the signature (`jwt` mode).
 */
export interface Caller {
  /** How the caller was established: verified here, decoded after AgentCore verified it, or none. */
  mode: AuthMode;
  verified: boolean;
  issuer?: string;
  subject?: string;
  /** From `client_id` (RFC 9068) or, failing that, `azp` (Auth0 profile). */
  clientId?: string;
  clientIdClaim?: "client_id" | "azp";
  scopes: string[];
  audience: string[];
  /** Token expiry, epoch seconds. */
  expiresAt?: number;
  issuedAt?: number;
  tokenProfile: TokenProfile;
  /** Auth0's `gty` claim, e.g. `client-credentials`. */
  grantType?: string;
}

/** What the auth layer reports for the request log. */
export type AuthOutcome =
  | "verified" // jwt: token verified
  | "rejected" // jwt: 401/403
  | "unavailable" // jwt: issuer metadata or keys could not be fetched (503)
  | "decoded" // agentcore: Authorization present and decoded
  | "undecodable" // agentcore: Authorization present but not a JWT
  | "absent" // agentcore: no Authorization header
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
