import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";

/** API identifiers served by the local issuer in end-to-end tests. */
export const RFC9068_AUDIENCE = "https://mcp.example.test/";
export const AUTH0_AUDIENCE = "https://mcp-auth0-profile.example.test/";

/** M2M clients of the local issuer: the allowed one, a stranger, and one without the scope. */
export const CLIENTS = {
  allowed: { clientId: "mcp-agent", clientSecret: "agent-secret" },
  stranger: { clientId: "stranger", clientSecret: "stranger-secret" },
  noScope: { clientId: "no-scope", clientSecret: "no-scope-secret" },
} as const;

/** Starts the testkit's Auth0-compatible issuer with both token profiles. */
export function startTestIssuer(): Promise<LocalIssuer> {
  return startIssuer({
    apis: [
      { audience: RFC9068_AUDIENCE, profile: "rfc9068", scopes: ["invoke", "read"] },
      { audience: AUTH0_AUDIENCE, profile: "auth0", scopes: ["invoke"] },
    ],
    clients: [
      { ...CLIENTS.allowed, grants: { [RFC9068_AUDIENCE]: ["invoke"], [AUTH0_AUDIENCE]: ["invoke"] } },
      { ...CLIENTS.stranger, grants: { [RFC9068_AUDIENCE]: ["invoke"] } },
      { ...CLIENTS.noScope, grants: { [RFC9068_AUDIENCE]: ["read"] } },
    ],
  });
}

/** Gets an access token from the issuer's Auth0-style token endpoint. */
export async function fetchToken(
  issuer: LocalIssuer,
  client: { clientId: string; clientSecret: string },
  audience: string = RFC9068_AUDIENCE,
): Promise<string> {
  const res = await fetch(issuer.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${body.error}`);
  return body.access_token;
}

/** Server environment for `jwt` mode against the local issuer. */
export function jwtEnv(issuer: LocalIssuer): Record<string, string> {
  return {
    MCP_AUTH: "jwt",
    AUTH_DISCOVERY_URL: issuer.discoveryUrl,
    AUTH_ALLOWED_AUDIENCES: `${RFC9068_AUDIENCE},${AUTH0_AUDIENCE}`,
    AUTH_ALLOWED_CLIENTS: `${CLIENTS.allowed.clientId},${CLIENTS.noScope.clientId}`,
    AUTH_ALLOWED_SCOPES: "invoke",
  };
}
