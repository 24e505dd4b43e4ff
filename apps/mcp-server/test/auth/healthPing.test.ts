/**
 * Health probes: AgentCore Runtime is reported to POST a token-less MCP `ping` to `/mcp` (or `/mcp/`).
 * `agentcore`/`none` always answer it; `jwt` only with MCP_ALLOW_UNAUTHENTICATED_PING, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMcpServerApp,
  isLoopbackAddress,
  type McpServerApp,
  type RequestContext,
  type RunningServer,
  startServer,
} from "../../src/index.js";
import { type FakeIssuer, startFakeIssuer } from "../support/fakeIssuer.js";
import { jwtConfig, plainConfig, readRpc, toolCall } from "../support/helpers.js";

const PING = { jsonrpc: "2.0", method: "ping", id: 4 };
/** The probe as reported: `params: null`, JSON accepted only (the SDK's transport refuses both). */
const PROBE = { ...PING, params: null };

let issuer: FakeIssuer;
const apps: McpServerApp[] = [];

beforeAll(async () => {
  issuer = await startFakeIssuer();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await issuer?.close();
});

function jwtApp(allowance?: string): McpServerApp {
  const env: Record<string, string> = { AUTH_ALLOWED_AUDIENCES: issuer.audience };
  if (allowance !== undefined) env.MCP_ALLOW_UNAUTHENTICATED_PING = allowance;
  const app = createMcpServerApp(jwtConfig(issuer.discoveryUrl, env));
  apps.push(app);
  return app;
}

function post(
  app: McpServerApp,
  body: unknown,
  opts: { path?: string; headers?: Record<string, string>; context?: RequestContext } = {},
) {
  return app.handle(
    new Request(`http://localhost${opts.path ?? "/mcp"}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...opts.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    opts.context ?? { peerAddress: "127.0.0.1" },
  );
}

describe("MCP ping for health probes", () => {
  it.each(["agentcore", "none"] as const)(
    "answers the reported probe in %s mode at /mcp and /mcp/",
    async (mode) => {
      const app = createMcpServerApp(plainConfig(mode));
      apps.push(app);
      for (const path of ["/mcp", "/mcp/"]) {
        const handled = await post(app, PROBE, { path, context: { peerAddress: "10.1.2.3" } });
        expect(handled.response.status).toBe(200);
        expect(await handled.response.json()).toEqual({ jsonrpc: "2.0", id: 4, result: {} });
        expect(handled.auth).toBe("ping");
      }
    },
  );

  it("hands every other request, small or over 1 KiB, intact to the MCP SDK (agentcore mode)", async () => {
    const app = createMcpServerApp(plainConfig("agentcore"));
    apps.push(app);
    const headers = { accept: "application/json, text/event-stream" };
    for (const pad of ["", "x".repeat(4096)]) {
      const call = {
        ...toolCall("add", { a: 1, b: 2 }),
        params: { name: "add", arguments: { a: 1, b: 2 }, _meta: { pad } },
      };
      const handled = await post(app, call, { headers });
      expect(handled.response.status).toBe(200);
      expect(await readRpc(handled.response)).toMatchObject({ result: { structuredContent: { sum: 3 } } });
      expect(handled.auth).toBe("delegated");
    }
  });

  it("refuses a token-less ping with 401 in jwt mode by default (MCP_ALLOW_UNAUTHENTICATED_PING=off)", async () => {
    const handled = await post(jwtApp(), PROBE);
    expect(handled.response.status).toBe(401);
    expect(handled).toMatchObject({ auth: "rejected", authReason: "missing" });
  });

  it("answers a token-less ping from a loopback peer with =loopback, and refuses it from elsewhere", async () => {
    const app = jwtApp("loopback");
    for (const peerAddress of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      const handled = await post(app, PROBE, { path: "/mcp/", context: { peerAddress } });
      expect(handled.response.status).toBe(200);
      expect(await handled.response.json()).toEqual({ jsonrpc: "2.0", id: 4, result: {} });
    }
    for (const context of [{ peerAddress: "10.0.0.7" }, { peerAddress: "::ffff:10.0.0.7" }, {}]) {
      expect((await post(app, PROBE, { context })).response.status).toBe(401);
    }
  });

  it("answers a token-less ping from any peer with =any, echoing a string id", async () => {
    const handled = await post(
      jwtApp("any"),
      { ...PING, id: "probe-1" },
      { context: { peerAddress: "10.0.0.7" } },
    );
    expect(handled.response.status).toBe(200);
    expect(await handled.response.json()).toEqual({ jsonrpc: "2.0", id: "probe-1", result: {} });
  });

  it.each([
    ["tools/call", toolCall("add", { a: 1, b: 2 })],
    ["tools/list", { jsonrpc: "2.0", id: 1, method: "tools/list" }],
    ["initialize", { jsonrpc: "2.0", id: 1, method: "initialize", params: {} }],
    ["a batch holding a ping", [PING]],
    ["a ping notification (no id)", { jsonrpc: "2.0", method: "ping" }],
    ["a ping with an extra key", { ...PING, method: "ping", extra: "tools/call" }],
    ["a ping with params carrying more than _meta", { ...PING, params: { name: "add" } }],
    ["a ping padded past 1 KiB", { ...PING, params: { _meta: { pad: "x".repeat(2000) } } }],
    ["text that is not JSON", '{"jsonrpc":"2.0","method":"ping"'],
  ])("never lets %s through without a token, whatever the allowance", async (_what, body) => {
    const handled = await post(jwtApp("any"), body);
    expect(handled.response.status).toBe(401);
    expect(handled.auth).toBe("rejected");
  });

  it("verifies a ping that carries a token (a bad one gets 401, not a pong)", async () => {
    const handled = await post(jwtApp("any"), PING, { headers: { authorization: "Bearer a.b.c" } });
    expect(handled.response.status).toBe(401);
    expect(handled.authReason).toBe("malformed");
  });

  it("answers over a real socket: the node adapter passes the loopback peer address", async () => {
    const server: RunningServer = await startServer({
      config: jwtConfig(issuer.discoveryUrl, {
        AUTH_ALLOWED_AUDIENCES: issuer.audience,
        MCP_ALLOW_UNAUTHENTICATED_PING: "loopback",
      }),
    });
    try {
      const res = await fetch(`${server.url}/mcp/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(PROBE),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ jsonrpc: "2.0", id: 4, result: {} });
    } finally {
      await server.close();
    }
  });
});

describe("Function: isLoopbackAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["1270::1", false],
    ["fe80::1", false],
    [undefined, false],
  ])("%s → %s", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
