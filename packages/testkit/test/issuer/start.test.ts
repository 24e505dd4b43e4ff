import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalIssuer, startIssuer } from "../../src/index.js";
import { brokerRequest, LEGACY, MCP, ORPHAN, tenantOptions, tokenJson } from "../helpers/issuer.js";

describe("startIssuer: tokens", () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await startIssuer(tenantOptions());
  });
  afterAll(() => issuer.close());

  it("publishes discovery metadata that points at its token endpoint and JWKS", async () => {
    const meta = await (await fetch(issuer.discoveryUrl)).json();
    expect(meta).toMatchObject({
      issuer: issuer.url,
      token_endpoint: issuer.tokenEndpoint,
      jwks_uri: issuer.jwksUri,
      grant_types_supported: expect.arrayContaining(["client_credentials"]),
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("issues an rfc9068-profile token that verifies with jose against discovery + JWKS", async () => {
    // Act
    const res = await tokenJson(issuer, brokerRequest(MCP));
    const body = await res.json();
    // Assess
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "mcp:invoke" });
    const meta = await (await fetch(issuer.discoveryUrl)).json();
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(meta.jwks_uri)),
      {
        issuer: meta.issuer,
        audience: MCP,
        typ: "at+jwt",
        algorithms: ["RS256"],
      },
    );
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({
      client_id: "broker",
      sub: "broker@clients",
      scope: "mcp:invoke",
      jti: expect.any(String),
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(payload.azp).toBeUndefined();
  });

  it("issues an auth0-profile token: typ JWT, azp, gty, no client_id", async () => {
    const res = await tokenJson(issuer, brokerRequest(LEGACY));
    const { access_token, expires_in } = await res.json();
    expect(expires_in).toBe(600);
    const { payload } = await jwtVerify(access_token, createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.url,
      audience: LEGACY,
      typ: "JWT",
    });
    expect(decodeProtectedHeader(access_token).typ).toBe("JWT");
    expect(payload).toMatchObject({
      azp: "broker",
      gty: "client-credentials",
      sub: "broker@clients",
      scope: "read",
    });
    expect(payload).not.toHaveProperty("client_id");
  });

  it("accepts a form body on /oauth/token with the secret in the body", async () => {
    const res = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(brokerRequest(MCP)).toString(),
    });
    expect(res.status).toBe(200);
    expect(decodeJwt((await res.json()).access_token).aud).toBe(MCP);
  });

  it("accepts the oauth2 style on /token: form, resource, HTTP Basic", async () => {
    const res = await fetch(issuer.oauth2TokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("broker:broker-secret").toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        resource: MCP,
        scope: "mcp:invoke",
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(decodeJwt((await res.json()).access_token)).toMatchObject({ aud: MCP, client_id: "broker" });
  });

  it("accepts RFC 8707 resource instead of audience on /oauth/token, with Basic auth (oauth2 style via discovery)", async () => {
    const res = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("broker:broker-secret").toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials", resource: MCP }).toString(),
    });
    expect(res.status).toBe(200);
    expect(decodeJwt((await res.json()).access_token)).toMatchObject({ aud: MCP, client_id: "broker" });
  });

  it("accepts client_secret_post on /token", async () => {
    const res = await fetch(issuer.oauth2TokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "broker",
        client_secret: "broker-secret",
        resource: LEGACY,
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(decodeJwt((await res.json()).access_token)).toMatchObject({ aud: LEGACY, azp: "broker" });
  });

  it("narrows scopes to the requested subset of the client grant", async () => {
    const res = await tokenJson(issuer, { ...brokerRequest(MCP), scope: "mcp:invoke" });
    expect((await res.json()).scope).toBe("mcp:invoke");
  });

  it("counts issued tokens per client and audience, and all token requests", async () => {
    const before = { all: issuer.issued(), mcp: issuer.issued({ audience: MCP }), req: issuer.requests() };
    await tokenJson(issuer, brokerRequest(MCP));
    await tokenJson(issuer, brokerRequest(ORPHAN)); // refused: counts as a request, not a token
    expect(issuer.issued()).toBe(before.all + 1);
    expect(issuer.issued({ clientId: "broker", audience: MCP })).toBe(before.mcp + 1);
    expect(issuer.issued({ clientId: "spa" })).toBe(0);
    expect(issuer.requests()).toBe(before.req + 2);
    const stats = await (await fetch(issuer.statsUrl)).json();
    expect(stats.requests).toBe(issuer.requests());
    expect(stats.issued).toContainEqual({
      clientId: "broker",
      audience: MCP,
      count: issuer.issued({ audience: MCP }),
    });
  });
});
