import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalIssuer, startIssuer } from "../../src/index.js";
import { brokerRequest, LEGACY, MCP, tenantOptions, tokenJson } from "../helpers/issuer.js";

async function token(issuer: LocalIssuer, overrides: Record<string, string> = {}): Promise<Response> {
  return tokenJson(issuer, { ...brokerRequest(), ...overrides });
}

describe("startIssuer: secrets, signing keys and lifetimes", () => {
  let issuer: LocalIssuer;
  let now = Date.now();
  beforeAll(async () => {
    issuer = await startIssuer({ ...tenantOptions(), clock: { now: () => now } });
  });
  afterAll(() => issuer.close());

  it("keeps the previous secret valid for the grace period only", async () => {
    // Act
    issuer.rotateSecret("broker", "broker-secret-2", { graceSeconds: 30 });
    // Assess
    expect((await token(issuer, { client_secret: "broker-secret-2" })).status).toBe(200);
    expect((await token(issuer, { client_secret: "broker-secret" })).status).toBe(200);
    now += 31_000;
    expect((await token(issuer, { client_secret: "broker-secret" })).status).toBe(401);
    expect((await token(issuer, { client_secret: "broker-secret-2" })).status).toBe(200);
  });

  it("rejects the previous secret at once without a grace period", async () => {
    issuer.rotateSecret("broker", "broker-secret-3");
    expect((await token(issuer, { client_secret: "broker-secret-2" })).status).toBe(401);
    expect((await token(issuer, { client_secret: "broker-secret-3" })).status).toBe(200);
    expect(() => issuer.rotateSecret("ghost", "x")).toThrow(TypeError);
  });

  it("rotates the signing key keeping old tokens valid, or revoking them with keepOld: false", async () => {
    // Prepare
    const secret = { client_secret: "broker-secret-3" };
    const old = (await (await token(issuer, secret)).json()).access_token as string;
    // Act: rotate, old key still published
    await issuer.rotateSigningKey();
    const fresh = (await (await token(issuer, secret)).json()).access_token as string;
    // Assess
    expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(old).kid);
    const jwks = () => createRemoteJWKSet(new URL(issuer.jwksUri));
    await expect(jwtVerify(old, jwks(), { issuer: issuer.url, audience: MCP })).resolves.toBeDefined();
    await expect(jwtVerify(fresh, jwks(), { issuer: issuer.url, audience: MCP })).resolves.toBeDefined();
    // Act: rotate again and drop every old key
    await issuer.rotateSigningKey({ keepOld: false });
    await expect(jwtVerify(old, jwks(), { issuer: issuer.url, audience: MCP })).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    await expect(jwtVerify(fresh, jwks(), { issuer: issuer.url, audience: MCP })).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    const newest = (await (await token(issuer, secret)).json()).access_token as string;
    await expect(jwtVerify(newest, jwks(), { issuer: issuer.url, audience: MCP })).resolves.toBeDefined();
  });

  it("issues 1-second tokens after setTtl, which expire by the verifier's clock", async () => {
    // Act
    issuer.setTtl(LEGACY, 1);
    const res = await token(issuer, { client_secret: "broker-secret-3", audience: LEGACY });
    const body = await res.json();
    // Assess (no sleeping: the verifier's clock is moved instead)
    expect(body.expires_in).toBe(1);
    const claims = decodeJwt(body.access_token);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1);
    await expect(
      jwtVerify(body.access_token, createRemoteJWKSet(new URL(issuer.jwksUri)), {
        audience: LEGACY,
        currentDate: new Date((Number(claims.exp) + 1) * 1000),
      }),
    ).rejects.toBeInstanceOf(errors.JWTExpired);
    expect(() => issuer.setTtl(LEGACY, 0)).toThrow(TypeError);
    expect(() => issuer.setTtl("https://unknown", 5)).toThrow(TypeError);
  });
});

describe("startIssuer: configuration errors", () => {
  it("rejects grants for unknown APIs and unknown scopes, naming the path", async () => {
    await expect(
      startIssuer({ apis: [], clients: [{ clientId: "c", clientSecret: "s", grants: { "https://x": [] } }] }),
    ).rejects.toThrow(`"clients[0].grants['https://x']" names an unknown API`);
    await expect(
      startIssuer({
        apis: [{ audience: "https://x", profile: "auth0", scopes: ["a"] }],
        clients: [{ clientId: "c", clientSecret: "s", grants: { "https://x": ["b"] } }],
      }),
    ).rejects.toThrow("has scopes the API lacks: b");
    await expect(
      startIssuer({ apis: [{ audience: "https://x", profile: "auth0", ttlSeconds: 0 }], clients: [] }),
    ).rejects.toThrow('"apis[0].ttlSeconds" must be an integer number of seconds between 1 and 2592000');
  });
});
