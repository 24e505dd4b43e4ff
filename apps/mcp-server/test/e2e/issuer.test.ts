/**
 * End to end with the testkit's Auth0-compatible issuer (oidc-provider): real tokens, real JWKS,
 * the MCP SDK v2 client, in-process server in `jwt` mode.
 */

import type { LocalIssuer } from "@mcp-token/testkit";
import {
  Client,
  discoverOAuthProtectedResourceMetadata,
  discoverOAuthServerInfo,
  extractWWWAuthenticateParams,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { base64url, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_ID_MISMATCH,
  loadConfig,
  type RunningServer,
  startServer,
  type WhoamiResult,
} from "../../src/index.js";
import { publicKeyPemOf } from "../support/fakeIssuer.js";
import { INITIALIZE, postMcp } from "../support/helpers.js";
import {
  AUTH0_AUDIENCE,
  CLIENTS,
  fetchToken,
  jwtEnv,
  RFC9068_AUDIENCE,
  startTestIssuer,
} from "../support/testkit.js";

let issuer: LocalIssuer;
let server: RunningServer;
/** Real time plus an adjustable skew, so tokens minted by the issuer's real clock can be aged. */
let skewMs = 0;
const clock = { now: () => Date.now() + skewMs };

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await startServer({
    config: loadConfig({ ...jwtEnv(issuer), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }),
    clock,
    // No cooldown: a rotated signing key is picked up on the first token that names it.
    jwks: { cooldownMs: 0 },
  });
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

type ToolResult = { structuredContent?: unknown; content: { type: string; text: string }[] };

describe.each(["legacy", "auto"] as const)("MCP SDK v2 client (%s protocol negotiation)", (mode) => {
  it("initialises, lists tools, calls add and whoami with a token from the local issuer", async () => {
    // Prepare
    const token = await fetchToken(issuer, CLIENTS.allowed);
    const client = new Client({ name: "e2e", version: "1.0.0" }, { versionNegotiation: { mode } });
    const transport = new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
      authProvider: { token: async () => token },
      requestInit: { headers: { "x-amzn-bedrock-agentcore-runtime-session-id": "e2e-runtime-session-0001" } },
    });

    // Act
    await client.connect(transport);
    const { tools } = await client.listTools();
    const sum = (await client.callTool({ name: "add", arguments: { a: 40, b: 2 } })) as ToolResult;
    const me = (await client.callTool({ name: "whoami", arguments: {} })) as ToolResult;
    await client.close();

    // Assess
    expect(tools.map((t) => t.name).sort()).toEqual(["add", "whoami"]);
    expect(sum.structuredContent).toEqual({ sum: 42 });
    const who = me.structuredContent as WhoamiResult;
    expect(who).toMatchObject({
      authMode: "jwt",
      verified: true,
      issuer: issuer.url,
      clientId: CLIENTS.allowed.clientId,
      clientIdClaim: "client_id",
      audience: [RFC9068_AUDIENCE],
      tokenProfile: "rfc9068",
    });
    expect(who.scopes).toContain("invoke");
    expect(who.expiresInSeconds).toBeGreaterThan(3500);
    expect(who.expiresInSeconds).toBeLessThanOrEqual(3600);
    expect(JSON.stringify(me)).not.toContain(token);
  });
});

describe("attack cases with the local issuer's own tokens", () => {
  async function refused(token: string) {
    const res = await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${token}` });
    const body = (await res.json()) as { error: { code: number; message: string } };
    return { status: res.status, challenge: extractWWWAuthenticateParams(res), body };
  }

  it("refuses an auth0-profile token (azp, no client_id) with AgentCore's exact message", async () => {
    const token = await fetchToken(issuer, CLIENTS.allowed, AUTH0_AUDIENCE);
    const { status, challenge, body } = await refused(token);
    expect(status).toBe(401);
    expect(challenge.error).toBe("invalid_token");
    expect(body.error).toEqual({ code: -32001, message: CLIENT_ID_MISMATCH });
  });

  it("refuses a client that is not allowed", async () => {
    const { status, body } = await refused(await fetchToken(issuer, CLIENTS.stranger));
    expect(status).toBe(401);
    expect(body.error.message).toBe(CLIENT_ID_MISMATCH);
  });

  it("refuses a token without the required scope with 403 insufficient_scope", async () => {
    const { status, challenge } = await refused(await fetchToken(issuer, CLIENTS.noScope));
    expect(status).toBe(403);
    expect(challenge).toMatchObject({ error: "insufficient_scope", scope: "invoke" });
  });

  it("refuses a real token whose payload was tampered with", async () => {
    const [h, p, s] = (await fetchToken(issuer, CLIENTS.stranger)).split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    const forged = base64url.encode(JSON.stringify({ ...claims, client_id: CLIENTS.allowed.clientId }));
    const { status, challenge } = await refused(`${h}.${forged}.${s}`);
    expect(status).toBe(401);
    expect(challenge.error).toBe("invalid_token");
  });

  it("refuses HS256 signed with the issuer's published RSA key", async () => {
    const real = await fetchToken(issuer, CLIENTS.allowed);
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(real.split(".")[1] as string)));
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(real.split(".")[0] as string)));
    const pem = await publicKeyPemOf(issuer.jwksUri);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ ...header, alg: "HS256" })
      .sign(new TextEncoder().encode(pem));
    expect((await refused(forged)).status).toBe(401);
  });

  it("refuses a token once the server clock passes its expiry plus tolerance", async () => {
    const token = await fetchToken(issuer, CLIENTS.allowed);
    const ok = await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    await ok.text();
    skewMs = 3600_000 + 31_000;
    try {
      const { status, body } = await refused(token);
      expect(status).toBe(401);
      expect(body.error.message).toBe("The token has expired.");
    } finally {
      skewMs = 0;
    }
  });

  it("refuses old tokens after the issuer drops its signing key, accepts tokens of the new key", async () => {
    const old = await fetchToken(issuer, CLIENTS.allowed);
    await issuer.rotateSigningKey({ keepOld: false });
    const fresh = await fetchToken(issuer, CLIENTS.allowed);
    const res = await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${fresh}` });
    expect(res.status).toBe(200);
    await res.text();
    expect((await refused(old)).status).toBe(401);
  });

  it("stays healthy", async () => {
    expect(await (await fetch(`${server.url}/ping`)).json()).toEqual({ status: "Healthy" });
  });
});

describe("OAuth discovery by the MCP SDK v2 client", () => {
  it("finds the authorization server from the 401 challenge and the protected-resource metadata", async () => {
    // Prepare: an unauthenticated request, as a client would first send.
    const res = await postMcp(server.mcpUrl);
    expect(res.status).toBe(401);
    await res.text();

    // Act
    const { resourceMetadataUrl } = extractWWWAuthenticateParams(res);
    const metadata = await discoverOAuthProtectedResourceMetadata(server.mcpUrl, { resourceMetadataUrl });
    const info = await discoverOAuthServerInfo(server.mcpUrl, { resourceMetadataUrl });

    // Assess
    expect(resourceMetadataUrl?.href).toBe(`${server.url}/.well-known/oauth-protected-resource`);
    expect(metadata).toMatchObject({
      resource: server.mcpUrl,
      authorization_servers: [issuer.url],
      bearer_methods_supported: ["header"],
      scopes_supported: ["invoke"],
    });
    expect(info.authorizationServerUrl).toBe(issuer.url);
    expect(info.authorizationServerMetadata?.issuer).toBe(issuer.url);
    expect(info.authorizationServerMetadata?.token_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it("finds the metadata by RFC 9728 path-aware probing without the challenge", async () => {
    const metadata = await discoverOAuthProtectedResourceMetadata(server.mcpUrl);
    expect(metadata.authorization_servers).toEqual([issuer.url]);
  });
});
