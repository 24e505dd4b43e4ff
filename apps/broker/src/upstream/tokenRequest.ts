/**
 * Builds the `client_credentials` token request for a profile's `requestStyle`.
 *
 * - `auth0`: `POST {issuer}oauth/token`, JSON body `{ grant_type, client_id, client_secret, audience, scope? }`,
 *   plus the caller's `mcp_token_caller`, `mcp_token_account` and `mcp_token_session` for per-caller
 *   profiles (core `CALLER_REQUEST_FIELDS`; Auth0 hands the body to the caller-claims Action).
 * - `oauth2`: `POST {token_endpoint}` from discovery, form body `grant_type=client_credentials`,
 *   `resource=<audience>` (RFC 8707) and `scope`; client authentication `client_secret_basic` when the
 *   issuer supports it (RFC 6749 §2.3.1 encoding), else `client_secret_post`. The token endpoint
 *   receives the client secret, so it must be on the issuer's origin unless the profile lists its
 *   origin in `allowedTokenEndpointOrigins` (a discovery document on the issuer's host could otherwise
 *   send the secret anywhere).
 * - `cognito`: Amazon Cognito's `/oauth2/token` on the user pool domain (from the user pool's discovery
 *   document, so its origin must be in `allowedTokenEndpointOrigins`), form body `grant_type` and
 *   `scope` only (Cognito has no `audience`/`resource`: scopes name the resource server), client
 *   authentication `client_secret_basic`.
 */
import { CALLER_REQUEST_FIELDS, type CallerIdentity } from "@mcp-token/core";
import type { ClientCredentials } from "../secrets.js";
import type { IssuerMetadata } from "./discovery.js";
import { UpstreamError } from "./errors.js";

/** A ready-to-send token request. */
export interface TokenHttpRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string>; body: string };
}

/** What to ask for. */
export interface TokenRequestParams {
  issuer: string;
  audience: string;
  scopes: readonly string[];
  credentials: ClientCredentials;
  /** Origins besides the issuer's that a discovered token endpoint may have. Default none. */
  allowedTokenEndpointOrigins?: readonly string[];
  /** The caller to name (per-caller profiles, Auth0 style only). */
  caller?: CallerIdentity;
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

/** Auth0 style request. */
export function buildAuth0Request(p: TokenRequestParams): TokenHttpRequest {
  const body: Record<string, string> = {
    grant_type: "client_credentials",
    client_id: p.credentials.clientId,
    client_secret: p.credentials.clientSecret,
    audience: p.audience,
  };
  if (p.scopes.length > 0) body.scope = p.scopes.join(" ");
  if (p.caller) {
    body[CALLER_REQUEST_FIELDS.caller] = p.caller.caller;
    body[CALLER_REQUEST_FIELDS.account] = p.caller.account;
    if (p.caller.session !== undefined) body[CALLER_REQUEST_FIELDS.session] = p.caller.session;
  }
  const base = p.issuer.endsWith("/") ? p.issuer : `${p.issuer}/`;
  return {
    url: `${base}oauth/token`,
    init: {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    },
  };
}

/** The discovered token endpoint must be on the issuer's origin or one the profile allows. */
function checkTokenEndpointOrigin(p: TokenRequestParams, metadata: IssuerMetadata): void {
  const endpointOrigin = new URL(metadata.tokenEndpoint).origin;
  const allowed = [p.issuer, ...(p.allowedTokenEndpointOrigins ?? [])].map((url) => new URL(url).origin);
  if (!allowed.includes(endpointOrigin)) {
    throw new UpstreamError(
      "rejected",
      `the discovered token_endpoint of ${p.issuer} is on ${endpointOrigin}, not the issuer's origin; ` +
        "the client secret is not sent there. If that host is right, add it to the profile's allowedTokenEndpointOrigins.",
    );
  }
}

/** Amazon Cognito request against the user pool's discovered metadata. */
export function buildCognitoRequest(p: TokenRequestParams, metadata: IssuerMetadata): TokenHttpRequest {
  checkTokenEndpointOrigin(p, metadata);
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (p.scopes.length > 0) form.set("scope", p.scopes.join(" "));
  const userPass = `${formEncode(p.credentials.clientId)}:${formEncode(p.credentials.clientSecret)}`;
  return {
    url: metadata.tokenEndpoint,
    init: {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        authorization: `Basic ${Buffer.from(userPass).toString("base64")}`,
      },
      body: form.toString(),
    },
  };
}

/** OAuth 2.0 style request against discovered metadata. */
export function buildOAuth2Request(p: TokenRequestParams, metadata: IssuerMetadata): TokenHttpRequest {
  checkTokenEndpointOrigin(p, metadata);
  const form = new URLSearchParams({ grant_type: "client_credentials", resource: p.audience });
  if (p.scopes.length > 0) form.set("scope", p.scopes.join(" "));
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (metadata.authMethods.includes("client_secret_basic")) {
    const userPass = `${formEncode(p.credentials.clientId)}:${formEncode(p.credentials.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(userPass).toString("base64")}`;
  } else if (metadata.authMethods.includes("client_secret_post")) {
    form.set("client_id", p.credentials.clientId);
    form.set("client_secret", p.credentials.clientSecret);
  } else {
    throw new UpstreamError(
      "rejected",
      `issuer ${p.issuer} supports neither client_secret_basic nor client_secret_post ` +
        `(token_endpoint_auth_methods_supported: ${metadata.authMethods.slice(0, 8).join(", ")})`,
    );
  }
  return { url: metadata.tokenEndpoint, init: { method: "POST", headers, body: form.toString() } };
}
