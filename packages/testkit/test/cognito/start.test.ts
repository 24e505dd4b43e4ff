/** The Cognito user pool stand-in: Cognito's token endpoint contract, claims without `aud`, its error bodies. */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCognito, startCognitoIssuer } from "../../src/index.js";

let pool: LocalCognito;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

beforeAll(async () => {
  pool = await startCognitoIssuer({
    resourceServers: [{ identifier: "mcp", scopes: ["invoke", "admin"] }],
    clients: [{ clientId: "app1", clientSecret: "app1-secret", allowedScopes: ["mcp/invoke"] }],
  });
});
afterAll(() => pool.close());

function token(body: string, authorization?: string): Promise<Response> {
  return fetch(pool.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization && { authorization }) },
    body,
  });
}

describe("startCognitoIssuer", () => {
  it("publishes discovery with the user pool issuer and the domain's token endpoint on another origin", async () => {
    const doc = (await (await fetch(pool.discoveryUrl)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ issuer: pool.issuer, token_endpoint: pool.tokenEndpoint });
    expect(new URL(pool.tokenEndpoint).origin).not.toBe(new URL(pool.issuer).origin);
  });

  it("issues an access token with client_id, token_use and scope and no aud, verifiable by JWKS", async () => {
    const res = await token("grant_type=client_credentials&scope=mcp%2Finvoke", basic("app1", "app1-secret"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ expires_in: 3600, token_type: "Bearer" });
    const { payload } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(`${pool.issuer}/.well-known/jwks.json`)),
      {
        issuer: pool.issuer,
      },
    );
    expect(payload).toMatchObject({
      sub: "app1",
      client_id: "app1",
      token_use: "access",
      scope: "mcp/invoke",
      version: 2,
    });
    expect(payload).not.toHaveProperty("aud");
    expect(decodeProtectedHeader(body.access_token).alg).toBe("RS256");
  });

  it("grants every allowed scope when none is asked, and takes client_secret_post", async () => {
    const res = await token("grant_type=client_credentials&client_id=app1&client_secret=app1-secret");
    expect(res.status).toBe(200);
    expect(pool.issued()).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ["a wrong secret", "grant_type=client_credentials", basic("app1", "nope"), "invalid_client"],
    ["an unknown client", "grant_type=client_credentials", basic("ghost", "x"), "invalid_client"],
    [
      "a scope the app client lacks",
      "grant_type=client_credentials&scope=mcp%2Fadmin",
      basic("app1", "app1-secret"),
      "invalid_scope",
    ],
    [
      "an unknown scope",
      "grant_type=client_credentials&scope=invoke",
      basic("app1", "app1-secret"),
      "invalid_scope",
    ],
    ["another grant", "grant_type=password", basic("app1", "app1-secret"), "unsupported_grant_type"],
    ["no grant type", "scope=mcp%2Finvoke", basic("app1", "app1-secret"), "invalid_request"],
    [
      "an audience parameter",
      "grant_type=client_credentials&audience=x",
      basic("app1", "app1-secret"),
      "invalid_request",
    ],
    [
      "a repeated parameter",
      "grant_type=client_credentials&grant_type=client_credentials",
      basic("app1", "app1-secret"),
      "invalid_request",
    ],
  ])("answers Cognito's 400 body for %s", async (_name, body, authorization, error) => {
    const res = await token(body, authorization);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });
});
