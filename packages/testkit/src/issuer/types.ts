import type { IssuerAction } from "./actions.js";

/** Access-token profile of an API, as Auth0 names them. */
export type TokenProfile = "rfc9068" | "auth0";

/** An API (Auth0 "resource server"), identified by its audience. */
export interface IssuerApi {
  /** Audience / RFC 8707 resource indicator, e.g. "https://mcp.example.com". */
  audience: string;
  /** `auth0`: `typ: JWT`, `azp`, `gty`, no `client_id`. `rfc9068`: `typ: at+jwt`, `client_id`, `jti`. */
  profile: TokenProfile;
  /** Access-token lifetime in seconds (>= 1). Default 3600. */
  ttlSeconds?: number;
  /** Scopes the API defines. A client grant may only name these. Default: none. */
  scopes?: string[];
}

/** An M2M application with a client secret and client grants per audience. */
export interface IssuerClient {
  clientId: string;
  clientSecret: string;
  /** Client grants: audience → granted scopes. No entry → `access_denied` for that audience. */
  grants?: Record<string, string[]>;
  /**
   * Grant types the client may use. Default `["client_credentials"]`; leave it out of the list to get
   * Auth0's `unauthorized_client` 403.
   */
  grantTypes?: string[];
}

export interface StartIssuerOptions {
  /** Port to bind; default 0 (a free port). */
  port?: number;
  /** Host to bind; default "127.0.0.1". */
  host?: string;
  apis: IssuerApi[];
  clients: IssuerClient[];
  /** Clock for secret-rotation grace periods (milliseconds since epoch). Default `Date`. */
  clock?: { now(): number };
  /**
   * Auth0 Actions to run, by trigger. `credentialsExchange`: run in order for every client-credentials
   * request that passed the tenant's checks (see `actions.ts`). Default none.
   */
  actions?: { credentialsExchange?: IssuerAction[] };
}

/** Faults injected in front of the issuer. See {@link LocalIssuer.faults}. */
export interface IssuerFaults {
  /** Delay every request (all paths except `/__admin/*`) by `ms` milliseconds; 0 turns it off. */
  latency(ms: number): void;
  /** The next `count` token requests answer 429 `too_many_requests` with `Retry-After: retryAfterSeconds`. */
  rateLimit(count: number, retryAfterSeconds: number): void;
  /** The next `count` token requests answer `status` with an Auth0-shaped `server_error` body. */
  fail(count: number, status: 500 | 503): void;
  /** The next `count` token requests get their socket destroyed without an answer. */
  drop(count: number): void;
  /** Reset the connection of every request (all paths except `/__admin/*`) until {@link up}. */
  down(): void;
  /** Undo {@link down}. */
  up(): void;
  /** Clear every fault. */
  reset(): void;
}

export interface LocalIssuer {
  /** Issuer identifier with a trailing slash, like Auth0: "http://127.0.0.1:PORT/". */
  url: string;
  /** `url` + ".well-known/openid-configuration". */
  discoveryUrl: string;
  /** `url` + "oauth/token": Auth0 style (JSON or form, `audience`, secret in the body). */
  tokenEndpoint: string;
  /** Standard token endpoint `url` + "token": form, RFC 8707 `resource`, HTTP Basic or client_secret_post. */
  oauth2TokenEndpoint: string;
  /** `url` + ".well-known/jwks.json". */
  jwksUri: string;
  /** Admin endpoint for faults from other processes: `POST` JSON, see {@link AdminFaultsRequest}. */
  adminUrl: string;
  /**
   * `GET` → `{ requests, issued: [{ clientId, audience, count }] }`: the counters of {@link issued} and
   * {@link requests} for other processes. Not subject to faults.
   */
  statsUrl: string;
  /** Number of tokens issued so far, optionally only for one client and/or audience. */
  issued(filter?: { clientId?: string; audience?: string }): number;
  /** Number of requests to either token endpoint so far, failures and injected faults included. */
  requests(): number;
  /** Change an API's token lifetime (seconds, >= 1); applies to the next token. */
  setTtl(audience: string, seconds: number): void;
  /**
   * Give a client a new secret. The previous secret keeps working for `graceSeconds` (default 0) by
   * the issuer's clock.
   */
  rotateSecret(clientId: string, newSecret: string, opts?: { graceSeconds?: number }): void;
  /**
   * Sign new tokens with a fresh RS256 key. `keepOld` (default true) keeps publishing the previous keys
   * in the JWKS; `keepOld: false` drops them, so tokens already issued stop verifying (Auth0 tokens
   * cannot be revoked; this is the closest stand-in).
   */
  rotateSigningKey(opts?: { keepOld?: boolean }): Promise<void>;
  faults: IssuerFaults;
  close(): Promise<void>;
}

/** Body of `POST /__admin/faults` (each field optional, applied in this order). */
export interface AdminFaultsRequest {
  reset?: boolean;
  latencyMs?: number;
  rateLimit?: { count: number; retryAfterSeconds: number };
  fail?: { count: number; status: 500 | 503 };
  drop?: number;
  down?: boolean;
}
