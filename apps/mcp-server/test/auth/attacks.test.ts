/**
 * Token attack suite against a running server in `jwt` mode. Each forged or unacceptable token must
 * get 401 (403 for a missing scope) with the documented challenge and JSON-RPC body, and the
 * server must stay healthy. Tokens are signed by an in-test issuer so every claim can be forged
 * with the real key; the end-to-end suite repeats the profile cases with the testkit issuer.
 */
import { base64url, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AUDIENCE_MISMATCH,
  CLIENT_ID_MISMATCH,
  ISSUER_MISMATCH,
  type RunningServer,
  SCOPE_MISMATCH,
  startServer,
} from "../../src/index.js";
import { type FakeIssuer, publicKeyPemOf, startFakeIssuer } from "../support/fakeIssuer.js";
import { INITIALIZE, jwtConfig, memoryLogger, postMcp } from "../support/helpers.js";

let issuer: FakeIssuer;
let server: RunningServer;
const log = memoryLogger();

beforeAll(async () => {
  issuer = await startFakeIssuer();
  server = await startServer({
    config: jwtConfig(issuer.discoveryUrl, {
      AUTH_ALLOWED_AUDIENCES: issuer.audience,
      AUTH_ALLOWED_CLIENTS: issuer.clientId,
      AUTH_ALLOWED_SCOPES: "invoke",
    }),
    logger: log.logger,
  });
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const metadataUrl = () => `${server.url}/.well-known/oauth-protected-resource`;

function parseChallenge(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  const params: Record<string, string> = {};
  for (const m of (header ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
    params[m[1] as string] = m[2] as string;
  return params;
}

async function expectRefused(
  token: string | undefined,
  expected: { status: 401 | 403; error?: string; message?: string; reason?: string },
) {
  // Act
  const res = await postMcp(
    server.mcpUrl,
    INITIALIZE,
    token === undefined ? {} : { authorization: `Bearer ${token}` },
  );
  // Assess
  expect(res.status).toBe(expected.status);
  const challenge = parseChallenge(res.headers.get("www-authenticate"));
  expect(challenge.resource_metadata).toBe(metadataUrl());
  expect(challenge.error).toBe(expected.error);
  const body = (await res.json()) as {
    jsonrpc: string;
    id: unknown;
    error: { code: number; message: string };
  };
  expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32001 } });
  if (expected.message) expect(body.error.message).toBe(expected.message);
  expect(JSON.stringify(body)).not.toContain(token ?? "\u0000");
  if (expected.reason) {
    // The request log is written once the response has finished on the server side.
    await vi.waitFor(() =>
      expect(log.entries.at(-1)).toMatchObject({ authReason: expected.reason, auth: "rejected" }),
    );
  }
  return { res, challenge, body };
}

const nowS = () => Math.floor(Date.now() / 1000);

describe("jwt mode token attack suite", () => {
  it("accepts the legitimate token (control)", async () => {
    const res = await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${await issuer.mint()}` });
    expect(res.status).toBe(200);
    await res.text();
  });

  it("refuses a request without a token with a bare resource_metadata challenge (RFC 6750 §3.1)", async () => {
    const { res } = await expectRefused(undefined, { status: 401, error: undefined, reason: "missing" });
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
  });

  it("refuses Bearer garbage", async () => {
    await expectRefused("garbage", { status: 401, error: "invalid_token", reason: "malformed" });
  });

  it("refuses three garbage segments", async () => {
    await expectRefused("aaa.bbb.ccc", { status: 401, error: "invalid_token", reason: "malformed" });
  });

  it("refuses an unsigned alg:none token", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt" }));
    const payload = base64url.encode(
      JSON.stringify({
        iss: issuer.url,
        aud: issuer.audience,
        client_id: issuer.clientId,
        scope: "invoke",
        exp: nowS() + 600,
      }),
    );
    await expectRefused(`${header}.${payload}.`, {
      status: 401,
      error: "invalid_token",
      reason: "alg_not_allowed",
    });
  });

  it("refuses HS256 signed with the issuer's RSA public key as the HMAC secret", async () => {
    const pem = await publicKeyPemOf(issuer.jwksUri);
    const token = await new SignJWT({
      iss: issuer.url,
      aud: issuer.audience,
      client_id: issuer.clientId,
      scope: "invoke",
      exp: nowS() + 600,
    })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: issuer.kid })
      .sign(new TextEncoder().encode(pem));
    await expectRefused(token, { status: 401, error: "invalid_token", reason: "alg_not_allowed" });
  });

  it("refuses an expired token (beyond the clock tolerance)", async () => {
    const token = await issuer.mint({ claims: { iat: nowS() - 7200, exp: nowS() - 120 } });
    await expectRefused(token, {
      status: 401,
      error: "invalid_token",
      message: "The token has expired.",
      reason: "expired",
    });
  });

  it("refuses a token whose nbf is in the future", async () => {
    const token = await issuer.mint({ claims: { nbf: nowS() + 600 } });
    await expectRefused(token, { status: 401, error: "invalid_token", reason: "not_yet_valid" });
  });

  it("refuses a token without exp", async () => {
    const token = await issuer.mint({ claims: { exp: undefined } });
    await expectRefused(token, { status: 401, error: "invalid_token", reason: "missing_exp" });
  });

  it("refuses a token with the wrong iss", async () => {
    const token = await issuer.mint({ claims: { iss: "https://evil.example/" } });
    await expectRefused(token, {
      status: 401,
      error: "invalid_token",
      message: ISSUER_MISMATCH,
      reason: "issuer_mismatch",
    });
  });

  it("refuses a token with the wrong aud", async () => {
    const token = await issuer.mint({ claims: { aud: "https://other-api.example/" } });
    await expectRefused(token, {
      status: 401,
      error: "invalid_token",
      message: AUDIENCE_MISMATCH,
      reason: "audience_mismatch",
    });
  });

  it("refuses an Auth0-profile token (azp, no client_id) with AgentCore's exact message", async () => {
    const token = await issuer.mint({
      claims: { client_id: undefined, azp: issuer.clientId, gty: "client-credentials" },
      header: { typ: "JWT" },
    });
    const { body } = await expectRefused(token, {
      status: 401,
      error: "invalid_token",
      message: "Claim 'client_id' value mismatch with configuration.",
      reason: "client_id_missing",
    });
    expect(body.error).toEqual({ code: -32001, message: CLIENT_ID_MISMATCH });
  });

  it("refuses an unknown client id", async () => {
    const token = await issuer.mint({ claims: { client_id: "client-unknown" } });
    await expectRefused(token, {
      status: 401,
      error: "invalid_token",
      message: CLIENT_ID_MISMATCH,
      reason: "client_id_mismatch",
    });
  });

  it("refuses a token without a required scope with 403 insufficient_scope", async () => {
    const token = await issuer.mint({ claims: { scope: "read:other" } });
    const { challenge } = await expectRefused(token, {
      status: 403,
      error: "insufficient_scope",
      message: SCOPE_MISMATCH,
      reason: "scope_mismatch",
    });
    expect(challenge.scope).toBe("invoke");
  });

  it("refuses a token signed by an unknown key (unknown kid)", async () => {
    const attacker = await generateKeyPair("RS256");
    const token = await issuer.mint({ key: attacker.privateKey, header: { kid: "attacker-key" } });
    await expectRefused(token, { status: 401, error: "invalid_token", reason: "unknown_kid" });
  });

  it("refuses a token signed by another key under the issuer's kid", async () => {
    const attacker = await generateKeyPair("RS256");
    const token = await issuer.mint({ key: attacker.privateKey });
    await expectRefused(token, { status: 401, error: "invalid_token", reason: "bad_signature" });
  });

  it("refuses a token whose payload was tampered with after signing", async () => {
    const [h, p, s] = (await issuer.mint({ claims: { scope: "read" } })).split(".") as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    const forged = base64url.encode(JSON.stringify({ ...claims, scope: "invoke admin" }));
    await expectRefused(`${h}.${forged}.${s}`, {
      status: 401,
      error: "invalid_token",
      reason: "bad_signature",
    });
  });

  it("refuses a 16 KB Authorization header", async () => {
    const huge = `${"a".repeat(8 * 1024)}.${"b".repeat(8 * 1024)}.c`;
    await expectRefused(huge, { status: 401, error: "invalid_token", reason: "too_large" });
  });

  it("refuses a non-Bearer scheme like a missing token", async () => {
    const res = await postMcp(server.mcpUrl, INITIALIZE, { authorization: "Basic dXNlcjpwYXNz" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
  });

  it("is still healthy after the attacks and never logged a token", async () => {
    const ping = await fetch(`${server.url}/ping`);
    expect(await ping.json()).toEqual({ status: "Healthy" });
    const res = await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${await issuer.mint()}` });
    expect(res.status).toBe(200);
    await res.text();
    expect(JSON.stringify(log.entries)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    // Discovery fetched once for the whole suite; the unknown kid caused at most one extra JWKS fetch.
    expect(issuer.discoveryRequests()).toBe(1);
    expect(issuer.jwksRequests()).toBeLessThanOrEqual(2);
  });
});

describe("jwt mode with AgentCore customClaims (AUTH_CUSTOM_CLAIMS)", () => {
  const GROUPS = "https://mcp-token.test/groups";
  let claimsServer: RunningServer;

  beforeAll(async () => {
    claimsServer = await startServer({
      config: jwtConfig(issuer.discoveryUrl, {
        AUTH_ALLOWED_AUDIENCES: issuer.audience,
        AUTH_CUSTOM_CLAIMS: JSON.stringify([
          {
            inboundTokenClaimName: GROUPS,
            inboundTokenClaimValueType: "STRING_ARRAY",
            authorizingClaimMatchValue: {
              claimMatchOperator: "CONTAINS_ANY",
              claimMatchValue: { matchValueStringList: ["mcp-users", "mcp-admins"] },
            },
          },
        ]),
      }),
      logger: memoryLogger().logger,
    });
  });
  afterAll(() => claimsServer?.close());

  it("refuses a forged group claim with 401 invalid_token and AgentCore's wording", async () => {
    const res = await postMcp(claimsServer.mcpUrl, INITIALIZE, {
      authorization: `Bearer ${await issuer.mint({ claims: { [GROUPS]: ["staff"] } })}`,
    });
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get("www-authenticate")).error).toBe("invalid_token");
    expect(await res.json()).toMatchObject({
      error: { code: -32001, message: `Claim '${GROUPS}' value mismatch with configuration.` },
    });
  });

  it("serves a token whose group matches", async () => {
    const res = await postMcp(claimsServer.mcpUrl, INITIALIZE, {
      authorization: `Bearer ${await issuer.mint({ claims: { [GROUPS]: ["mcp-admins"] } })}`,
    });
    expect(res.status).toBe(200);
    await res.text();
  });
});
