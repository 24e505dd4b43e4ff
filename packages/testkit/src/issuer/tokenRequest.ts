import type { Tenant } from "./clients.js";

/** An Auth0-shaped error answer. */
export interface TokenError {
  status: number;
  error: string;
  error_description: string;
}

/** A token request that passed the tenant's checks, ready for the provider to mint. */
export interface AcceptedTokenRequest {
  clientId: string;
  audience: string;
  /** Scopes to put in the token (space-separated), empty for none. */
  scope: string;
  /** Every body parameter as sent (what Auth0 hands Actions as `event.request.body`). */
  params: Record<string, string>;
}

/** Where the request came in: Auth0's `/oauth/token` (`audience`) or standard `/token` (`resource`). */
export type TokenEndpointStyle = "auth0" | "oauth2";

const KNOWN_GRANT_TYPES = new Set([
  "authorization_code",
  "refresh_token",
  "password",
  "http://auth0.com/oauth/grant-type/password-realm",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "http://auth0.com/oauth/grant-type/mfa-oob",
  "http://auth0.com/oauth/grant-type/mfa-otp",
]);

const fail = (status: number, error: string, error_description: string): TokenError => ({
  status,
  error,
  error_description,
});

/** Parse a token request body (JSON or form) into single string parameters. */
function parseParams(contentType: string, body: Buffer): { params: Record<string, string> } | TokenError {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const params: Record<string, string> = {};
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return fail(400, "invalid_request", "Invalid JSON body");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return fail(400, "invalid_request", "Request body must be a JSON object");
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") return fail(400, "invalid_request", `Parameter '${k}' must be a string`);
      params[k] = v;
    }
    return { params };
  }
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) {
      if (k in params) return fail(400, "invalid_request", `Parameter '${k}' must not be repeated`);
      params[k] = v;
    }
    return { params };
  }
  return fail(
    400,
    "invalid_request",
    "Content-Type must be application/json or application/x-www-form-urlencoded",
  );
}

/** Decode `Authorization: Basic` (RFC 6749 §2.3.1: both parts form-urlencoded). */
function basicCredentials(
  authorization: string | undefined,
): { id: string; secret: string } | TokenError | undefined {
  if (!authorization) return undefined;
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (!match?.[1]) return fail(400, "invalid_request", "Unsupported Authorization header");
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return fail(400, "invalid_request", "Malformed Basic credentials");
  try {
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
  } catch {
    return fail(400, "invalid_request", "Malformed Basic credentials");
  }
}

/**
 * Apply Auth0's client-credentials rules to a token request: client authentication (current secret or
 * previous one in its grace period), grant type, audience, client grant and scopes. Returns the
 * Auth0-shaped error Auth0 would answer, or what to mint.
 */
export function checkTokenRequest(
  tenant: Tenant,
  style: TokenEndpointStyle,
  headers: { contentType: string | undefined; authorization: string | undefined },
  body: Buffer,
): AcceptedTokenRequest | TokenError {
  const parsed = parseParams(headers.contentType ?? "", body);
  if ("error" in parsed) return parsed;
  const p = parsed.params;

  const basic = basicCredentials(headers.authorization);
  if (basic && "error" in basic) return basic;
  if (basic && (p.client_secret !== undefined || (p.client_id !== undefined && p.client_id !== basic.id))) {
    return fail(400, "invalid_request", "Only one client authentication method may be used");
  }
  const clientId = basic?.id ?? p.client_id;
  const secret = basic?.secret ?? p.client_secret;

  if (!p.grant_type) return fail(400, "invalid_request", "Missing required parameter: grant_type");
  if (!clientId) return fail(400, "invalid_request", "Missing required parameter: client_id");
  if (secret === undefined || !tenant.authenticate(clientId, secret)) {
    return fail(401, "invalid_client", "Client authentication failed");
  }
  if (p.grant_type !== "client_credentials" && !KNOWN_GRANT_TYPES.has(p.grant_type)) {
    return fail(400, "unsupported_grant_type", `Unsupported grant type: ${p.grant_type}`);
  }
  if (!tenant.allowsGrantType(clientId, p.grant_type)) {
    return fail(403, "unauthorized_client", `Grant type '${p.grant_type}' not allowed for the client.`);
  }
  if (p.grant_type !== "client_credentials") {
    return fail(400, "unsupported_grant_type", `The local issuer only implements client_credentials`);
  }

  // Auth0's `/oauth/token` takes `audience`; with its Resource Parameter Compatibility Profile it also
  // takes RFC 8707 `resource` (what an `oauth2`-style client following discovery sends).
  const audience = style === "auth0" ? (p.audience ?? p.resource) : p.resource;
  if (!audience) {
    return style === "auth0"
      ? fail(
          403,
          "access_denied",
          "No audience parameter was provided, and no default audience has been configured",
        )
      : fail(400, "invalid_target", "Missing required parameter: resource");
  }
  if (!tenant.apis.has(audience)) {
    return fail(403, "access_denied", `Service not enabled within domain: ${audience}`);
  }
  const granted = tenant.grantedScopes(clientId, audience);
  if (!granted) {
    return fail(
      403,
      "access_denied",
      `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
    );
  }
  let scopes = granted;
  if (p.scope !== undefined && p.scope.trim() !== "") {
    const requested = [...new Set(p.scope.trim().split(/\s+/))];
    const missing = requested.filter((s) => !granted.includes(s));
    if (missing.length)
      return fail(403, "access_denied", `Client has not been granted scopes: ${missing.join(", ")}`);
    scopes = requested;
  }
  return { clientId, audience, scope: scopes.join(" "), params: p };
}
