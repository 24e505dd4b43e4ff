import type { AuthMode } from "../config.js";
import type { Caller, TokenProfile } from "./types.js";

type Claims = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Scopes from `scope` (space-separated, RFC 9068/Auth0) or `scp` (array or string). */
export function scopesOf(claims: Claims): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === "string") return raw.split(" ").filter((s) => s !== "");
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string" && s !== "");
  return [];
}

/** `aud` as a list. */
export function audienceOf(claims: Claims): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

/** RFC 9068 (`typ: at+jwt` or a `client_id` claim), Auth0 (`azp`/`gty` without `client_id`), or unknown. */
export function tokenProfileOf(claims: Claims, header: Claims): TokenProfile {
  const typ = str(header.typ)?.toLowerCase();
  if (typ === "at+jwt" || typ === "application/at+jwt" || str(claims.client_id)) return "rfc9068";
  if (str(claims.azp) || str(claims.gty)) return "auth0";
  return "unknown";
}

/** The caller described by a token's (verified or merely decoded) claims. Never copies the token. */
export function callerFromClaims(mode: AuthMode, verified: boolean, claims: Claims, header: Claims): Caller {
  const clientIdClaim = str(claims.client_id) ? "client_id" : str(claims.azp) ? "azp" : undefined;
  const caller: Caller = {
    mode,
    verified,
    scopes: scopesOf(claims),
    audience: audienceOf(claims),
    tokenProfile: tokenProfileOf(claims, header),
  };
  const issuer = str(claims.iss);
  if (issuer) caller.issuer = issuer;
  const subject = str(claims.sub);
  if (subject) caller.subject = subject;
  if (clientIdClaim) {
    caller.clientId = str(claims[clientIdClaim]);
    caller.clientIdClaim = clientIdClaim;
  }
  const exp = num(claims.exp);
  if (exp !== undefined) caller.expiresAt = exp;
  const iat = num(claims.iat);
  if (iat !== undefined) caller.issuedAt = iat;
  const gty = str(claims.gty);
  if (gty) caller.grantType = gty;
  return caller;
}
