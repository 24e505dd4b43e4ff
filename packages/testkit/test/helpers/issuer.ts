import type { LocalIssuer, StartIssuerOptions } from "../../src/index.js";

export const MCP = "https://mcp.example.com";
export const LEGACY = "https://legacy.example.com";
export const ORPHAN = "https://orphan.example.com";

/** Standard tenant used by issuer tests. */
export const tenantOptions = (): StartIssuerOptions => ({
  apis: [
    { audience: MCP, profile: "rfc9068", scopes: ["mcp:invoke", "mcp:admin"] },
    { audience: LEGACY, profile: "auth0", scopes: ["read"], ttlSeconds: 600 },
    { audience: ORPHAN, profile: "auth0" },
  ],
  clients: [
    {
      clientId: "broker",
      clientSecret: "broker-secret",
      grants: { [MCP]: ["mcp:invoke"], [LEGACY]: ["read"] },
    },
    {
      clientId: "spa",
      clientSecret: "spa-secret",
      grants: { [MCP]: [] },
      grantTypes: ["authorization_code"],
    },
  ],
});

/** POST Auth0-style JSON to /oauth/token. */
export function tokenJson(issuer: LocalIssuer, body: Record<string, string>): Promise<Response> {
  return fetch(issuer.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export const brokerRequest = (audience = MCP) => ({
  grant_type: "client_credentials",
  client_id: "broker",
  client_secret: "broker-secret",
  audience,
});
