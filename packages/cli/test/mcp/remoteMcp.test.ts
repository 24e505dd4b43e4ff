import type { FetchLike } from "@mcp-token/client";
import { afterEach, describe, expect, it } from "vitest";
import type { JsonRpcMessage } from "../../src/mcp/jsonRpc.js";
import { McpConnectionError, McpHttpError, RemoteMcp } from "../../src/mcp/remoteMcp.js";
import { countingTokens, startFakeMcpServer } from "../support/fakeMcpServer.js";
import { memoryLogger } from "../support/io.js";

const initialize: JsonRpcMessage = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};
const initialized: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/initialized" };
const call = (id: number, name = "echo"): JsonRpcMessage => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name },
});

describe("Class: RemoteMcp", () => {
  let server: Awaited<ReturnType<typeof startFakeMcpServer>>;
  let remote: RemoteMcp | undefined;
  afterEach(async () => {
    await remote?.close();
    remote = undefined;
    await server?.close();
  });

  async function connected(opts: { rejectStatus?: 401 | 403; listen?: boolean; fetch?: FetchLike } = {}) {
    server = await startFakeMcpServer(opts);
    const tokens = countingTokens();
    const received: JsonRpcMessage[] = [];
    remote = new RemoteMcp({
      url: server.url,
      tokens,
      userAgent: "mcp-token-test/1",
      log: memoryLogger(),
      onMessage: (m) => received.push(m),
      listen: opts.listen ?? false,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    await remote.send(initialize);
    await remote.send(initialized);
    return { remote, tokens, received };
  }

  it("echoes Mcp-Session-Id, sends MCP-Protocol-Version after initialisation, a User-Agent and the bearer token", async () => {
    const { remote: r, received } = await connected();
    await r.send(call(1));
    const last = server.seen.at(-1);
    expect(last?.headers).toMatchObject({
      "mcp-session-id": "session-1",
      "mcp-protocol-version": "2025-06-18",
      "user-agent": "mcp-token-test/1",
      authorization: "Bearer t1",
      accept: "application/json, text/event-stream",
    });
    expect(server.seen[0]?.headers["mcp-protocol-version"]).toBeUndefined();
    expect(received.map((m) => m.id)).toEqual([0, 1]);
  });

  it("forwards every message of an SSE answer, notifications before the response", async () => {
    const { remote: r, received } = await connected();
    await r.send(call(2, "progress"));
    expect(received.slice(1)).toEqual([
      { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } },
      { jsonrpc: "2.0", id: 2, result: { content: [] } },
    ]);
  });

  it("re-initialises a lost session once (replaying initialize and initialized) and retries the request", async () => {
    // Prepare
    const { remote: r, received } = await connected();
    server.expireSessions();
    const before = server.seen.length;
    // Act: five concurrent requests all hit the 404
    await Promise.all([3, 4, 5, 6, 7].map((id) => r.send(call(id))));
    // Assess
    const after = server.seen.slice(before);
    const replays = after.filter((s) => (s.body as JsonRpcMessage | undefined)?.method === "initialize");
    expect(replays).toHaveLength(1);
    expect(replays[0]?.body).toMatchObject({
      method: "initialize",
      id: "mcp-token-reinit-1",
      params: initialize.params,
    });
    expect(
      after.filter((s) => (s.body as JsonRpcMessage | undefined)?.method === "notifications/initialized"),
    ).toHaveLength(1);
    expect(r.state).toMatchObject({ phase: "ready", sessionId: "session-2" });
    expect(received.filter((m) => m.id === "mcp-token-reinit-1")).toEqual([]);
    expect(
      received
        .map((m) => m.id)
        .slice(1)
        .sort(),
    ).toEqual([3, 4, 5, 6, 7]);
  });

  it("gives up after one re-initialisation when the session is lost again", async () => {
    // Prepare: the replayed handshake succeeds but the retry finds the session gone again
    let expireNext = false;
    const { remote: r } = await connected({
      fetch: async (input, init) => {
        const body = String(init?.body ?? "");
        if (expireNext && body.includes('"tools/call"')) server.expireSessions();
        const res = await fetch(input, init);
        if (body.includes('"notifications/initialized"')) expireNext = true;
        return res;
      },
    });
    expireNext = false;
    server.expireSessions();
    // Act
    const error = await r.send(call(9)).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(McpHttpError);
    expect(error).toMatchObject({ status: 404 });
    expect(server.seen.filter((s) => (s.body as JsonRpcMessage | undefined)?.id === 9)).toHaveLength(2);
  });

  it.each([401, 403] as const)(
    "on %i invalidates the rejected token, refetches and retries once",
    async (status) => {
      const { remote: r, tokens, received } = await connected({ rejectStatus: status });
      server.valid.clear();
      server.valid.add("t2");
      await r.send(call(10));
      expect(tokens.invalidated).toEqual(["t1"]);
      expect(received.at(-1)).toMatchObject({ id: 10, result: { echo: "tools/call" } });
    },
  );

  it("reports a second rejection as McpHttpError with the server's JSON-RPC error", async () => {
    const { remote: r } = await connected();
    server.valid.clear();
    const error = await r.send(call(11)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpHttpError);
    expect(error).toMatchObject({ status: 401, rpcError: { code: -32001, message: "invalid token" } });
  });

  it("delivers server-initiated messages from the GET stream", async () => {
    const { received } = await connected({ listen: true });
    while (server.openStreams() === 0) await new Promise((r) => setTimeout(r, 5));
    server.push({ jsonrpc: "2.0", id: "srv-1", method: "roots/list" });
    while (!received.some((m) => m.id === "srv-1")) await new Promise((r) => setTimeout(r, 5));
    expect(received.at(-1)).toEqual({ jsonrpc: "2.0", id: "srv-1", method: "roots/list" });
  });

  it("resends a request whose connection dropped only if it is safe: a read-only method or a tool declared read-only or idempotent", async () => {
    // Prepare: learn the tools, then make the next POST of each kind fail mid-flight
    const dropped = new Set<string>();
    let dropping = false;
    const { remote: r, received } = await connected({
      fetch: async (input, init) => {
        const body = String(init?.body ?? "");
        for (const key of ['"safe"', '"unsafe"', '"resources/read"']) {
          if (dropping && body.includes(key) && !dropped.has(key)) {
            dropped.add(key);
            throw new TypeError("fetch failed", {
              cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
            });
          }
        }
        return fetch(input, init);
      },
    });
    await r.send({ jsonrpc: "2.0", id: 20, method: "tools/list" });
    dropping = true;
    // Act
    await r.send(call(21, "safe"));
    await r.send({ jsonrpc: "2.0", id: 22, method: "resources/read", params: { uri: "x:" } });
    const unsafe = await r.send(call(23, "unsafe")).catch((e: unknown) => e);
    // Assess
    expect(received.map((m) => m.id)).toEqual([0, 20, 21, 22]);
    expect(unsafe).toBeInstanceOf(McpConnectionError);
    expect((unsafe as Error).message).toContain("UND_ERR_SOCKET");
  });

  it.each([
    ["Retry-After: 1", { "retry-after": "1" }, 1000],
    ["no Retry-After", {}, 500],
  ])("resends a request that is safe to resend after a 503 (%s)", async (_name, headers, waitMs) => {
    // Prepare
    const { remote: r, received } = await connected();
    await r.send({ jsonrpc: "2.0", id: 30, method: "tools/list" });
    server.failNext("POST", 503, headers);
    const started = Date.now();
    // Act
    await r.send(call(31, "safe"));
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(waitMs - 50);
    expect(received.at(-1)).toMatchObject({ id: 31, result: { echo: "tools/call" } });
    expect(server.seen.filter((s) => (s.body as JsonRpcMessage | undefined)?.id === 31)).toHaveLength(2);
  });

  it("answers a 503 to a request that is not safe to resend with the server's error, without resending", async () => {
    const { remote: r } = await connected();
    server.failNext("POST", 503, { "retry-after": "1" });
    const error = await r.send(call(32, "unsafe")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpHttpError);
    expect(error).toMatchObject({ status: 503, rpcError: { code: -32000, message: "failed with 503" } });
    expect(server.seen.filter((s) => (s.body as JsonRpcMessage | undefined)?.id === 32)).toHaveLength(1);
  });

  it("retries any request after a 429 once the HTTP-date in Retry-After has passed", async () => {
    // Prepare: a date two seconds ahead (one-second resolution: the wait is 1-2 s)
    const { remote: r, received } = await connected();
    server.failNext("POST", 429, { "retry-after": new Date(Date.now() + 2000).toUTCString() });
    const started = Date.now();
    // Act
    await r.send(call(33, "unsafe"));
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(received.at(-1)).toMatchObject({ id: 33, result: { echo: "tools/call" } });
  });

  it("fails at once on a 429 that asks for more than 5 s", async () => {
    const { remote: r } = await connected();
    server.failNext("POST", 429, { "retry-after": "120" });
    const started = Date.now();
    const error = await r.send(call(34)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refreshes the token once when the GET stream is refused with 401, then listens", async () => {
    // Prepare
    server = await startFakeMcpServer();
    server.valid.add("t2");
    server.failNext("GET", 401);
    const tokens = countingTokens();
    remote = new RemoteMcp({
      url: server.url,
      tokens,
      userAgent: "t",
      log: memoryLogger(),
      onMessage: () => {},
    });
    // Act
    await remote.send(initialize);
    await remote.send(initialized);
    while (server.openStreams() === 0) await new Promise((r) => setTimeout(r, 5));
    // Assess
    expect(tokens.invalidated).toEqual(["t1"]);
    expect(server.seen.filter((s) => s.method === "GET").map((s) => s.headers.authorization)).toEqual([
      "Bearer t1",
      "Bearer t2",
    ]);
  });

  it("redacts a token the server echoes in an error, and flattens control characters", async () => {
    // Prepare
    const { remote: r } = await connected();
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    server.failNext("POST", 400, {}, `bad token ${jwt}\nsent as Bearer opaque-secret-value`);
    // Act
    const error = await r.send(call(35)).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(McpHttpError);
    expect((error as McpHttpError).message).toBe("HTTP 400: bad token [REDACTED] sent as Bearer [REDACTED]");
  });

  it("ends the session with DELETE on close", async () => {
    const { remote: r } = await connected();
    await r.close();
    expect(server.seen.at(-1)).toMatchObject({
      method: "DELETE",
      headers: { "mcp-session-id": "session-1" },
    });
    expect(server.sessions.size).toBe(0);
  });

  it("retries a refused connection with backoff, then reports McpConnectionError", async () => {
    server = await startFakeMcpServer();
    const url = server.url;
    await server.close();
    remote = new RemoteMcp({
      url,
      tokens: countingTokens(),
      userAgent: "t",
      log: memoryLogger(),
      onMessage: () => {},
    });
    const started = Date.now();
    const error = await remote.send(initialize).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    server = await startFakeMcpServer();
  });
});
