import { ManualClock } from "@mcp-token/core";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningServer,
  startServer,
  type ToolModule,
  toAuthInfo,
  type WhoamiResult,
} from "../../src/index.js";
import { type FakeIssuer, startFakeIssuer } from "../support/fakeIssuer.js";
import { jwtConfig, plainConfig, postMcp, readRpc, toolCall } from "../support/helpers.js";

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: "tools-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(url),
      token ? { authProvider: { token: async () => token } } : {},
    ),
  );
  return client;
}

type ToolResult = {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: unknown;
};

describe("Tool: add", () => {
  let server: RunningServer;
  let client: Client;
  beforeAll(async () => {
    server = await startServer({ config: plainConfig("none") });
    client = await connect(server.mcpUrl);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("adds two finite numbers", async () => {
    const result = (await client.callTool({ name: "add", arguments: { a: 0.5, b: -2 } })) as ToolResult;
    expect(result.structuredContent).toEqual({ sum: -1.5 });
    expect(result.content).toEqual([{ type: "text", text: "-1.5" }]);
  });

  it("names the offending argument when it is not a number", async () => {
    const result = (await client.callTool({ name: "add", arguments: { a: "1", b: 2 } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain("'first' must be a finite number");
  });

  it("names a missing argument", async () => {
    const result = (await client.callTool({ name: "add", arguments: { a: 1 } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain("'second' must be a finite number");
  });

  it("refuses a sum that overflows to Infinity", async () => {
    const result = (await client.callTool({
      name: "add",
      arguments: { a: 1.7e308, b: 1.7e308 },
    })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/too large/);
  });

  it("lists exactly the registered tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["add", "whoami"]);
  });
});

describe("Tool: whoami", () => {
  let issuer: FakeIssuer;
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  let jwtServer: RunningServer;
  let agentcoreServer: RunningServer;
  let noneServer: RunningServer;

  beforeAll(async () => {
    issuer = await startFakeIssuer({ now: () => clock.now() });
    jwtServer = await startServer({
      config: jwtConfig(issuer.discoveryUrl, { AUTH_ALLOWED_AUDIENCES: issuer.audience }),
      clock,
    });
    agentcoreServer = await startServer({ config: plainConfig("agentcore"), clock });
    noneServer = await startServer({ config: plainConfig("none"), clock });
  });
  afterAll(async () => {
    await Promise.all([jwtServer?.close(), agentcoreServer?.close(), noneServer?.close()]);
    await issuer?.close();
  });

  async function whoami(server: RunningServer, headers: Record<string, string> = {}): Promise<WhoamiResult> {
    const res = await postMcp(server.mcpUrl, toolCall("whoami"), headers);
    expect(res.status).toBe(200);
    const rpc = (await readRpc(res)) as {
      result: { structuredContent: WhoamiResult; content: { text: string }[] };
    };
    expect(JSON.parse(rpc.result.content[0]?.text ?? "")).toEqual(rpc.result.structuredContent);
    return rpc.result.structuredContent;
  }

  it("shows the verified caller of an RFC 9068 token in jwt mode, never the token", async () => {
    // Prepare
    const token = await issuer.mint({ claims: { exp: issuer.nowSeconds() + 900, scope: "invoke read" } });
    clock.advance(100_000);
    // Act
    const res = await postMcp(jwtServer.mcpUrl, toolCall("whoami"), { authorization: `Bearer ${token}` });
    const raw = await res.text();
    // Assess
    expect(raw).not.toContain(token.split(".")[2]);
    const me = (JSON.parse(raw.split("data: ")[1] ?? raw) as { result: { structuredContent: WhoamiResult } })
      .result.structuredContent;
    expect(me).toMatchObject({
      authMode: "jwt",
      verified: true,
      issuer: issuer.url,
      subject: `${issuer.clientId}@clients`,
      clientId: issuer.clientId,
      clientIdClaim: "client_id",
      scopes: ["invoke", "read"],
      audience: [issuer.audience],
      expiresInSeconds: 800,
      tokenProfile: "rfc9068",
    });
  });

  it("reports azp as the client id claim of an Auth0-profile token", async () => {
    const token = await issuer.mint({
      claims: { client_id: undefined, azp: "auth0-client", gty: "client-credentials" },
      header: { typ: "JWT" },
    });
    const me = await whoami(jwtServer, { authorization: `Bearer ${token}` });
    expect(me).toMatchObject({
      clientId: "auth0-client",
      clientIdClaim: "azp",
      tokenProfile: "auth0",
      grantType: "client-credentials",
    });
  });

  it("shows no claims in agentcore mode, even when AgentCore forwards a valid token", async () => {
    const token = await issuer.mint({ claims: { exp: issuer.nowSeconds() + 60 } });
    const cases: Record<string, string>[] = [
      { authorization: `Bearer ${token}` },
      {},
      { authorization: "Bearer not-a-jwt" },
    ];
    for (const headers of cases) {
      const me = await whoami(agentcoreServer, headers);
      expect(me).toEqual({
        authMode: "agentcore",
        verified: false,
        scopes: [],
        audience: [],
        note: "AgentCore Runtime verified the caller before the request reached this server (MCP_AUTH=agentcore). This server verified nothing and shows no claims; set MCP_AUTH=jwt to verify the token here.",
      });
    }
  });

  it("says authentication is disabled in none mode", async () => {
    const me = await whoami(noneServer, { authorization: "Bearer ignored" });
    expect(me).toEqual({
      authMode: "none",
      verified: false,
      scopes: [],
      audience: [],
      note: "Authentication is disabled (MCP_AUTH=none): the caller is anonymous.",
    });
  });
});

/** Test-only tool that reports the SDK's `AuthInfo` exactly as a tool handler receives it. */
const authInfoTool: ToolModule = {
  name: "authinfo",
  register(server) {
    server.registerTool(
      "authinfo",
      { description: "Reports ctx.http.authInfo (tests only)." },
      async (ctx) => ({
        content: [{ type: "text", text: JSON.stringify(ctx.http?.authInfo ?? null) }],
      }),
    );
  },
};

describe("AuthInfo handed to tools", () => {
  let issuer: FakeIssuer;
  let agentcoreServer: RunningServer;
  let jwtServer: RunningServer;

  beforeAll(async () => {
    issuer = await startFakeIssuer();
    agentcoreServer = await startServer({ config: plainConfig("agentcore"), tools: [authInfoTool] });
    jwtServer = await startServer({
      config: jwtConfig(issuer.discoveryUrl, { AUTH_ALLOWED_AUDIENCES: issuer.audience }),
      tools: [authInfoTool],
    });
  });
  afterAll(async () => {
    await Promise.all([agentcoreServer?.close(), jwtServer?.close()]);
    await issuer?.close();
  });

  async function authInfo(server: RunningServer, token: string): Promise<Record<string, unknown>> {
    const res = await postMcp(server.mcpUrl, toolCall("authinfo"), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const rpc = (await readRpc(res)) as { result: { content: { text: string }[] } };
    return JSON.parse(rpc.result.content[0]?.text ?? "null") as Record<string, unknown>;
  }

  it("holds nothing unverified in agentcore mode: no client id, scopes, expiry or claims", async () => {
    const token = await issuer.mint({ claims: { client_id: "forged-admin", scope: "admin" } });
    expect(await authInfo(agentcoreServer, token)).toEqual({
      token: "",
      clientId: "",
      scopes: [],
      extra: { mcpToken: { mode: "agentcore", outcome: "delegated" } },
    });
  });

  it("holds the verified caller in jwt mode, never the raw token", async () => {
    const token = await issuer.mint({ claims: { scope: "invoke read" } });
    const info = await authInfo(jwtServer, token);
    expect(info).toMatchObject({ token: "", clientId: issuer.clientId, scopes: ["invoke", "read"] });
    expect(info.expiresAt).toEqual(expect.any(Number));
    expect(JSON.stringify(info)).not.toContain(token.split(".")[2]);
  });
});

describe("Function: toAuthInfo", () => {
  it("drops a caller the server did not verify, whatever the authenticator returned", () => {
    const info = toAuthInfo({
      mode: "agentcore",
      outcome: "delegated",
      caller: {
        mode: "agentcore",
        verified: false,
        token: { clientId: "forged", scopes: ["admin"], audience: [] } as never,
      },
    });
    expect(info).toEqual({
      token: "",
      clientId: "",
      scopes: [],
      extra: { mcpToken: { mode: "agentcore", outcome: "delegated" } },
    });
  });
});
