/**
 * Per-caller tokens (`identity: "caller"` profiles): which IAM caller a token was issued for.
 *
 * The broker adds the caller to its client-credentials request as three body fields; the
 * credentials-exchange Action in `auth0/actions/caller-claims.cjs` checks them and copies them into
 * namespaced claims. The Action is plain JavaScript pasted into Auth0 and cannot import this file, so it
 * repeats these names; its tests compare them with the ones here.
 *
 * What the caller is: the session-independent principal (a role, not a session; an IAM user; the
 * account root; a federated user), its account, and, only for IAM Identity Center role sessions, the
 * session name. Identity Center sets that name to the signed-in user, so it names a person; any other
 * session name is the choice of whoever called `AssumeRole` and names nobody.
 */
import { normalizePrincipal } from "../arn/normalize.js";
import { parsePrincipal } from "../arn/principal.js";

/** Namespace of the claims (Auth0 asks for URI-namespaced custom claims). */
export const CALLER_CLAIM_NAMESPACE = "https://mcp-token.dev/";

/** Claim names in a per-caller token. */
export const CALLER_CLAIMS = {
  caller: `${CALLER_CLAIM_NAMESPACE}caller`,
  account: `${CALLER_CLAIM_NAMESPACE}account`,
  session: `${CALLER_CLAIM_NAMESPACE}session`,
} as const;

/** Body fields of the broker's client-credentials request that carry the caller to the Action. */
export const CALLER_REQUEST_FIELDS = {
  caller: "mcp_token_caller",
  account: "mcp_token_account",
  session: "mcp_token_session",
} as const;

/** Role names IAM Identity Center creates for permission sets; it names their sessions after the user. */
const IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

/** The caller a per-caller token names. */
export interface CallerIdentity {
  /** Session-independent principal ARN (`arn:aws:iam::A:role/R`, `…:user/U`, `…:root`, `arn:aws:sts::A:federated-user/F`). */
  caller: string;
  /** 12-digit account id of the principal. */
  account: string;
  /** The Identity Center user behind an `AWSReservedSSO_…` role session; absent for anything else. */
  session?: string;
}

/**
 * The caller identity of a principal ARN as the Function URL reports it, or `undefined` when the ARN
 * is not a well-formed IAM/STS principal.
 *
 * @example
 * callerIdentityOf("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Dev_0a1b/alice@example.com")
 * // { caller: "arn:aws:iam::123456789012:role/AWSReservedSSO_Dev_0a1b", account: "123456789012", session: "alice@example.com" }
 * callerIdentityOf("arn:aws:sts::123456789012:assumed-role/mcp-agent/i-0abc")
 * // { caller: "arn:aws:iam::123456789012:role/mcp-agent", account: "123456789012" }
 */
export function callerIdentityOf(principalArn: string): CallerIdentity | undefined {
  const parts = parsePrincipal(principalArn);
  const caller = normalizePrincipal(principalArn);
  if (!parts || caller === undefined) return undefined;
  const identity: CallerIdentity = { caller, account: parts.accountId };
  if (parts.session !== undefined && parts.assumedRole?.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) {
    identity.session = parts.session;
  }
  return identity;
}

/**
 * A stable key for a caller identity (the per-caller part of a cache key). Newlines separate the parts:
 * neither ARNs nor session names contain one.
 */
export function callerKey(identity: CallerIdentity): string {
  return identity.session === undefined ? identity.caller : `${identity.caller}\n${identity.session}`;
}

const MAX_CLAIM = 2048;

/**
 * The caller a token's claims name (read back from `CALLER_CLAIMS`), or `undefined` when the token
 * carries no `caller` claim. Values are length-bounded; this reads claims, it does not verify them.
 */
export function callerIdentityFromClaims(
  claims: Readonly<Record<string, unknown>>,
): CallerIdentity | undefined {
  const caller = claims[CALLER_CLAIMS.caller];
  if (typeof caller !== "string" || caller === "") return undefined;
  const account = claims[CALLER_CLAIMS.account];
  const session = claims[CALLER_CLAIMS.session];
  const identity: CallerIdentity = {
    caller: caller.slice(0, MAX_CLAIM),
    account: typeof account === "string" ? account.slice(0, 12) : "",
  };
  if (typeof session === "string" && session !== "") identity.session = session.slice(0, 64);
  return identity;
}
