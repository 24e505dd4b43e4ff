/**
 * Token summaries for diagnostics (`mcp-token doctor`, broker logs): what a token says about itself,
 * without the token, its signature, or any claim value other than the listed ones.
 *
 * Profiles (Auth0 "access token profile", set per API):
 * - `rfc9068`: header `typ` is `at+jwt` or `application/at+jwt` (RFC 9068 §2.1); such tokens carry
 *   `client_id`, which is what AgentCore's `allowedClients` checks.
 * - `auth0`: the Auth0 default profile, recognised by `gty` (e.g. `client-credentials`) or a `sub`
 *   ending in `@clients`; such tokens carry `azp` and no `client_id`.
 * - `unknown`: anything else.
 */

import { type CallerIdentity, callerIdentityFromClaims } from "../identity/callerIdentity.js";

/** A diagnostic summary of a JWT access token. Times are epoch **seconds**, as in JWT claims. */
export interface TokenSummary {
  /** `iss`. */
  issuer?: string;
  /** `sub`. */
  subject?: string;
  /** `aud`, always as an array (empty when absent). */
  audience: string[];
  /** The client id, from `client_id` (preferred) or `azp`. */
  clientId?: string;
  /** Which claim `clientId` came from. */
  clientIdClaim?: "client_id" | "azp";
  /** Scopes from `scope` (space-separated) or `scp` (array or string). */
  scopes: string[];
  /** `iat`, epoch seconds. */
  issuedAt?: number;
  /** `exp`, epoch seconds. */
  expiresAt?: number;
  /** `exp − iat`, seconds. */
  lifetimeSeconds?: number;
  /** `exp − now`, seconds (negative once expired). */
  secondsLeft?: number;
  /** Token profile, see the file header. */
  profile: "rfc9068" | "auth0" | "unknown";
  /** Header `typ`. */
  typ?: string;
  /** Header `alg`. */
  alg?: string;
  /** Header `kid`. */
  kid?: string;
  /** Auth0 grant type claim `gty`. */
  grantType?: string;
  /** Amazon Cognito's `token_use` (`access` for access tokens, which carry no `aud`). */
  tokenUse?: string;
  /** The IAM caller a per-caller token names (`https://mcp-token.dev/` claims). */
  caller?: CallerIdentity;
  /**
   * AWS identity claims of an STS web identity token (IAM outbound identity federation), from the
   * `https://sts.amazonaws.com/` namespace: the requesting principal's ARN, its account, the region.
   */
  aws?: { principalId?: string; account?: string; sourceRegion?: string };
}

/** Namespace of the AWS identity claims in STS `GetWebIdentityToken` tokens. */
export const STS_CLAIM_NAMESPACE = "https://sts.amazonaws.com/";

const MAX_FIELD = 512;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value.slice(0, MAX_FIELD) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function scopesOf(claims: Record<string, unknown>): string[] {
  const { scope, scp } = claims;
  if (typeof scope === "string") return scope.split(/\s+/).filter(Boolean).slice(0, 256);
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === "string").slice(0, 256);
  if (typeof scp === "string") return scp.split(/\s+/).filter(Boolean).slice(0, 256);
  return [];
}

/**
 * Summarise already-decoded JWT claims and protected header.
 *
 * @param nowMs Current time, epoch milliseconds (for `secondsLeft`).
 */
export function summarizeClaims(
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
  nowMs: number,
): TokenSummary {
  const aud = claims.aud;
  const audience =
    typeof aud === "string"
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a): a is string => typeof a === "string").slice(0, 64)
        : [];
  const typ = str(header.typ);
  const gtyRaw = claims.gty;
  const grantType = Array.isArray(gtyRaw)
    ? gtyRaw.filter((g): g is string => typeof g === "string").join(" ") || undefined
    : str(gtyRaw);
  const subject = str(claims.sub);
  const normalizedTyp = typ?.toLowerCase();
  const profile: TokenSummary["profile"] =
    normalizedTyp === "at+jwt" || normalizedTyp === "application/at+jwt"
      ? "rfc9068"
      : grantType !== undefined || subject?.endsWith("@clients")
        ? "auth0"
        : "unknown";

  const summary: TokenSummary = { audience, scopes: scopesOf(claims), profile };
  const issuer = str(claims.iss);
  if (issuer !== undefined) summary.issuer = issuer;
  if (subject !== undefined) summary.subject = subject;
  const clientId = str(claims.client_id);
  const azp = str(claims.azp);
  if (clientId !== undefined) {
    summary.clientId = clientId;
    summary.clientIdClaim = "client_id";
  } else if (azp !== undefined) {
    summary.clientId = azp;
    summary.clientIdClaim = "azp";
  }
  const iat = num(claims.iat);
  const exp = num(claims.exp);
  if (iat !== undefined) summary.issuedAt = iat;
  if (exp !== undefined) {
    summary.expiresAt = exp;
    summary.secondsLeft = Math.floor(exp - nowMs / 1000);
    if (iat !== undefined) summary.lifetimeSeconds = exp - iat;
  }
  if (typ !== undefined) summary.typ = typ;
  const alg = str(header.alg);
  if (alg !== undefined) summary.alg = alg;
  const kid = str(header.kid);
  if (kid !== undefined) summary.kid = kid;
  if (grantType !== undefined) summary.grantType = grantType;
  const tokenUse = str(claims.token_use);
  if (tokenUse !== undefined) summary.tokenUse = tokenUse;
  const caller = callerIdentityFromClaims(claims);
  if (caller !== undefined) summary.caller = caller;
  const aws = claims[STS_CLAIM_NAMESPACE];
  if (typeof aws === "object" && aws !== null && !Array.isArray(aws)) {
    const a = aws as Record<string, unknown>;
    const fields = {
      principalId: str(a.principal_id),
      account: str(a.aws_account),
      sourceRegion: str(a.source_region),
    };
    summary.aws = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  }
  return summary;
}
