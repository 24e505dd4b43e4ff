/**
 * Who may do what: the caller's identity from the Function URL IAM context, profile lookup, the
 * profile's `allow` list (core ARN matching: role patterns admit that role's assumed-role sessions) and
 * the profile's scope list. Every refusal is a `BrokerError` whose description names the next step.
 */
import {
  type BrokerConfig,
  BrokerError,
  isPrincipalAllowed,
  normalizePrincipal,
  type ProfileConfig,
} from "@mcp-token/core";

/** The IAM caller as the Function URL reports it (`requestContext.authorizer.iam`). */
export interface CallerIdentity {
  userArn: string;
  accountId: string;
  userId?: string | undefined;
  callerId?: string | undefined;
  accessKey?: string | undefined;
  principalOrgId?: string | undefined;
}

/** A caller whose identity was checked. */
export interface Principal {
  /** The ARN as reported (`arn:aws:sts::A:assumed-role/R/S`, `arn:aws:iam::A:user/U`, …). */
  arn: string;
  accountId: string;
  /** Session-independent form (`arn:aws:iam::A:role/R`), from core `normalizePrincipal`. */
  normalized: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Checks the IAM context; throws `unauthorized` (401) when it is missing or unusable.
 */
export function requirePrincipal(identity: CallerIdentity | undefined): Principal {
  if (!identity || typeof identity.userArn !== "string" || identity.userArn.length === 0) {
    throw new BrokerError(
      "unauthorized",
      "No IAM identity reached the broker. Call it through its Function URL with SigV4-signed requests (AuthType AWS_IAM).",
    );
  }
  const normalized = normalizePrincipal(identity.userArn);
  if (normalized === undefined) {
    throw new BrokerError(
      "unauthorized",
      "The caller's IAM principal ARN could not be read; sign with IAM credentials.",
    );
  }
  const accountId = ACCOUNT_ID.test(identity.accountId ?? "")
    ? identity.accountId
    : (normalized.split(":")[4] ?? "");
  return { arn: identity.userArn, accountId, normalized };
}

/**
 * Returns the named profile. When it does not exist, a caller allowed on at least one profile gets
 * `unknown_profile` (404); any other caller gets the `access_denied` (403) a denied profile gives, so
 * whether a profile exists is revealed only to callers who may use the broker at all.
 */
export function requireProfile(config: BrokerConfig, name: string, principal: Principal): ProfileConfig {
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    if (!Object.values(config.profiles).some((p) => mayUseProfile(principal, p))) {
      throw notAllowed(principal, name);
    }
    throw new BrokerError(
      "unknown_profile",
      `Profile "${name}" does not exist. GET /v1/profiles lists the profiles you may use.`,
    );
  }
  return profile;
}

/** True when `principal` is admitted by the profile's `allow` patterns. */
export function mayUseProfile(principal: Principal, profile: ProfileConfig): boolean {
  return isPrincipalAllowed(principal.arn, profile.allow);
}

/**
 * Checks that `principal` may use profile `name` with `requested` scopes and returns the effective scope
 * list: the requested scopes (sorted, de-duplicated) or, when none were requested, all the profile's
 * scopes. Throws `access_denied` (403).
 */
export function authorizeTokenRequest(
  principal: Principal,
  name: string,
  profile: ProfileConfig,
  requested: readonly string[],
): readonly string[] {
  if (!mayUseProfile(principal, profile)) throw notAllowed(principal, name);
  const allowed = new Set(profile.scopes);
  const outside = [...new Set(requested)].filter((s) => !allowed.has(s));
  if (outside.length > 0) {
    const list = profile.scopes.length > 0 ? profile.scopes.join(" ") : "(none)";
    throw new BrokerError(
      "access_denied",
      `Scope ${outside.map((s) => `"${s}"`).join(", ")} is not allowed for profile "${name}" (allowed: ${list}).`,
    );
  }
  const scopes = requested.length > 0 ? requested : profile.scopes;
  return [...new Set(scopes)].sort();
}

function notAllowed(principal: Principal, name: string): BrokerError {
  return new BrokerError(
    "access_denied",
    `${principal.arn} is not in profiles.${name}.allow; ask an admin to add it, or run \`mcp-token doctor\`.`,
  );
}
