import type { AwsCredentialsProvider, TokenSource } from "@mcp-token/client";
import {
  inspectToken,
  type ProfilesResponse,
  type TokenResponse,
  type TokenSummary,
  type WhoamiResponse,
} from "@mcp-token/core";
import { describeError } from "../../output/describeError.js";

/** The outcome of one doctor check. `warn` does not fail the run. */
export interface CheckResult {
  id: string;
  title: string;
  status: "pass" | "fail" | "warn" | "skip";
  detail: string;
  /** One line saying what to do (failures and warnings). */
  fix?: string;
}

/** What the checks learn, passed from one to the next. */
export interface DoctorState {
  whoami?: WhoamiResponse;
  profile?: ProfilesResponse["profiles"][number];
  token?: TokenResponse;
  summary?: TokenSummary;
}

const ONE_DAY = 86_400;

/** AWS credentials found, and which access key. */
export async function checkCredentials(
  credentials: AwsCredentialsProvider,
  awsProfile: string | undefined,
): Promise<CheckResult> {
  const title = "AWS credentials";
  try {
    const creds = await credentials();
    const key = `${creds.accessKeyId.slice(0, 4)}…${creds.accessKeyId.slice(-4)}`;
    const kind = creds.sessionToken ? "temporary" : "long-term";
    const from = awsProfile ? `profile ${awsProfile}` : "the default provider chain";
    const expiry = creds.expiration ? `, expire ${creds.expiration.toISOString()}` : "";
    return { id: "credentials", title, status: "pass", detail: `${kind} key ${key} from ${from}${expiry}` };
  } catch (error) {
    return { id: "credentials", title, status: "fail", detail: firstLine(error), fix: fixFor(error) };
  }
}

/** The broker answers `/v1/whoami`: reachable, signature accepted, who we are. */
export async function checkWhoami(source: TokenSource, state: DoctorState): Promise<CheckResult> {
  const title = "Broker reachable";
  try {
    state.whoami = await source.broker.whoami();
    return {
      id: "whoami",
      title,
      status: "pass",
      detail: `${source.broker.url} knows you as ${state.whoami.principal}`,
    };
  } catch (error) {
    return { id: "whoami", title, status: "fail", detail: firstLine(error), fix: fixFor(error) };
  }
}

/** The caller may use the profile (`/v1/profiles`). */
export async function checkProfile(source: TokenSource, state: DoctorState): Promise<CheckResult> {
  const title = `Authorised for profile "${source.profile}"`;
  try {
    const { profiles } = await source.broker.listProfiles();
    state.profile = profiles.find((p) => p.name === source.profile);
    if (state.profile) {
      const identity = state.profile.identity === "caller" ? ", tokens per caller" : "";
      return {
        id: "profile",
        title,
        status: "pass",
        detail: `audience ${state.profile.audience}${identity}`,
      };
    }
    const available = profiles.map((p) => p.name).join(", ") || "none";
    const who = state.whoami?.normalizedPrincipal ?? "your principal";
    return {
      id: "profile",
      title,
      status: "fail",
      detail: `profile "${source.profile}" is not available to you (profiles you may use: ${available})`,
      fix: `ask a broker admin to add ${who} to profiles.${source.profile}.allow, or pass --profile <one of yours>`,
    };
  } catch (error) {
    return { id: "profile", title, status: "fail", detail: firstLine(error), fix: fixFor(error) };
  }
}

/** A token comes back from the broker (or STS). */
export async function checkToken(
  source: Pick<TokenSource, "getTokenResponse">,
  state: DoctorState,
): Promise<CheckResult> {
  const title = "Token issued";
  try {
    state.token = await source.getTokenResponse();
    return {
      id: "token",
      title,
      status: "pass",
      detail: `profile ${state.token.profile}, expires ${state.token.expires_at} (in ${duration(state.token.expires_in)})${state.token.scope ? `, scope "${state.token.scope}"` : ""}`,
    };
  } catch (error) {
    return { id: "token", title, status: "fail", detail: firstLine(error), fix: fixFor(error) };
  }
}

/** Decodes the token (without verifying) and summarises its claims. */
export async function checkClaims(state: DoctorState): Promise<CheckResult> {
  const title = "Token claims";
  try {
    const s = inspectToken((state.token as TokenResponse).access_token);
    state.summary = s;
    const client = s.clientId ? `${s.clientIdClaim} ${s.clientId}` : "no client id claim";
    return {
      id: "claims",
      title,
      status: "pass",
      detail: `issuer ${s.issuer ?? "?"}, audience ${s.audience.join(" ") || "none"}, ${client}, lifetime ${s.lifetimeSeconds === undefined ? "?" : duration(s.lifetimeSeconds)}, ${s.profile === "rfc9068" ? "RFC 9068" : s.profile === "auth0" ? "Auth0" : "unknown"} token profile`,
    };
  } catch {
    return {
      id: "claims",
      title,
      status: "warn",
      detail: "the access token is not a JWT (opaque); AgentCore's JWT authorizer cannot verify it",
      fix: "make sure the broker profile sets the API audience (Auth0 issues opaque tokens without one)",
    };
  }
}

/** Known pitfalls diagnosed from the claims alone. */
export function checkPitfalls(state: DoctorState): CheckResult[] {
  const s = state.summary;
  if (!s) return [];
  const results: CheckResult[] = [];
  if (s.clientIdClaim === "client_id") {
    results.push({
      id: "client_id",
      title: "client_id claim",
      status: "pass",
      detail: "present (AgentCore allowedClients can match it)",
    });
  } else {
    results.push({
      id: "client_id",
      title: "client_id claim",
      status: "warn",
      detail: `missing${s.clientIdClaim === "azp" ? " (only azp, the Auth0 token profile)" : ""}: an AgentCore runtime with allowedClients rejects this token`,
      fix: "set the Auth0 API's token profile to RFC 9068 (Dashboard → APIs → Settings → Token Profile), or drop allowedClients from the runtime's JWT authorizer",
    });
  }
  const expected = state.profile?.audience;
  if (s.tokenUse === "access" && s.audience.length === 0) {
    results.push(cognitoCheck(s, expected));
  } else if (expected !== undefined) {
    const ok = s.audience.includes(expected);
    results.push({
      id: "audience",
      title: "Audience",
      status: ok ? "pass" : "fail",
      detail: ok
        ? `includes the profile's audience ${expected}`
        : `token audience ${s.audience.join(" ") || "none"} does not include the profile's audience ${expected}`,
      ...(ok
        ? {}
        : {
            fix: "set the broker profile's audience to the Auth0 API identifier the runtime's allowedAudience expects",
          }),
    });
  }
  if (s.lifetimeSeconds !== undefined) {
    const long = s.lifetimeSeconds > ONE_DAY;
    results.push({
      id: "lifetime",
      title: "Token lifetime",
      status: long ? "warn" : "pass",
      detail: long ? `${duration(s.lifetimeSeconds)}, longer than 24 h` : `${duration(s.lifetimeSeconds)}`,
      ...(long
        ? {
            fix: "mcp-token refreshes tokens for you, so the 30-day workaround is not needed: lower the API's token lifetime in Auth0 to 1-24 h",
          }
        : {}),
    });
  }
  return results;
}

/**
 * An Amazon Cognito access token (`token_use: access`, no `aud`): the audience check does not apply,
 * the runtime must allow the app client instead, and custom scopes must be named
 * `<resource server identifier>/<scope>` (the broker profile's audience is that identifier).
 */
function cognitoCheck(s: TokenSummary, resourceServer: string | undefined): CheckResult {
  const title = "Cognito access token";
  const unprefixed =
    resourceServer === undefined ? [] : s.scopes.filter((scope) => !scope.startsWith(`${resourceServer}/`));
  if (s.scopes.length === 0 || unprefixed.length > 0) {
    return {
      id: "cognito",
      title,
      status: "fail",
      detail:
        s.scopes.length === 0
          ? "the token carries no scope"
          : `scopes ${unprefixed.join(" ")} are not of the resource server ${resourceServer}`,
      fix: `create a resource server (identifier ${resourceServer ?? "<identifier>"}) with the scope in the user pool, allow it on the app client, and list it as "${resourceServer ?? "<identifier>"}/<scope>" in the broker profile`,
    };
  }
  return {
    id: "cognito",
    title,
    status: "pass",
    detail: `no aud (Cognito access tokens have none): the runtime's authorizer must allow client_id ${s.clientId ?? "?"} (allowedClients) instead of an audience; scopes ${s.scopes.join(" ")}`,
  };
}

function firstLine(error: unknown): string {
  return describeError(error).message.split("\n")[0] ?? "";
}

function fixFor(error: unknown): string {
  const e = error as { name?: string; code?: string };
  if (e.name === "StsTokenError") {
    if (e.code === "ERR_STS_FEDERATION_DISABLED")
      return "an account administrator runs `aws iam enable-outbound-web-identity-federation` once (docs/SOURCES.md)";
    if (e.code === "ERR_STS_ACCESS_DENIED")
      return "attach a policy allowing sts:GetWebIdentityToken for this audience to your principal (the stage's web identity token policy, docs/SOURCES.md)";
    if (e.code === "ERR_STS_GLOBAL_ENDPOINT")
      return "use a regional STS endpoint: pass --region (and unset AWS_ENDPOINT_URL_STS if it points at sts.amazonaws.com)";
    return "see the message above; run with --log-level debug for details";
  }
  if (e.name === "CredentialsError")
    return "see the message above (aws sso login / aws configure), then run doctor again";
  if (e.name === "BrokerConnectionError") return "check --broker / MCP_TOKEN_BROKER_URL and your network";
  if (e.name === "BrokerError" && (e.code === "access_denied" || e.code === "unauthorized")) {
    return "ask a broker admin to allow your principal (shown by aws sts get-caller-identity) for this profile";
  }
  if (e.name === "BrokerError" && e.code === "unknown_profile")
    return "pass --profile with a profile the broker defines";
  if (
    e.name === "BrokerError" &&
    e.code === "upstream_rejected" &&
    /invalid_scope/.test(String((error as Error).message))
  ) {
    return "the identity provider does not allow this scope for the broker's client: in Cognito, add it to the app client's allowed custom scopes (App client → Login pages → Custom scopes), in Auth0 to the client grant; or drop it from the broker profile";
  }
  if (e.name === "BrokerError" && e.code === "upstream_rejected") {
    return "the identity provider refused the broker's request: a broker admin should check the client secret and the client grant for the audience";
  }
  return "run with --log-level debug for details";
}

/** `90` → `1 min 30 s`, `86400` → `24 h`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 2 * ONE_DAY) return `${Math.round(s / ONE_DAY)} days`;
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  if (s >= 60) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${s} s`;
}
