import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningServer, startServer, tools } from "../src/index.js";
import {
  INITIALIZE,
  MCP_HEADERS,
  memoryLogger,
  plainConfig,
  postMcp,
  readRpc,
  toolCall,
} from "./support/helpers.js";
import { slowTool } from "./support/slowTool.js";

/** A request with headers fetch() refuses to set (Host). */
function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString("utf8");
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const rawPost = (url: string, headers: Record<string, string>) =>
  rawRequest(url, "POST", { "content-type": "application/json", ...headers }, JSON.stringify(INITIALIZE));

describe("Host/Origin guard settings (MCP_ALLOWED_HOSTS)", () => {
  it("admits the listed host names on any port, besides loopback, and nothing else", async () => {
    const server = await startServer({
      config: plainConfig("agentcore", { MCP_ALLOWED_HOSTS: "mcp.example.com" }),
    });
    try {
      const accept = MCP_HEADERS.accept;
      expect((await rawPost(server.mcpUrl, { host: "mcp.example.com:8443", accept })).status).toBe(200);
      expect(
        (await rawPost(server.mcpUrl, { host: "MCP.example.com", origin: "https://mcp.example.com", accept }))
          .status,
      ).toBe(200);
      expect((await rawPost(server.mcpUrl, { accept })).status).toBe(200);
      expect((await rawPost(server.mcpUrl, { host: "attacker.example", accept })).status).toBe(403);
      expect((await rawPost(server.mcpUrl, { origin: "https://attacker.example", accept })).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it("admits any Host and Origin only with MCP_ALLOWED_HOSTS=*", async () => {
    const server = await startServer({ config: plainConfig("agentcore", { MCP_ALLOWED_HOSTS: "*" }) });
    try {
      const res = await rawPost(server.mcpUrl, {
        host: "attacker.example",
        origin: "https://attacker.example",
        accept: MCP_HEADERS.accept,
      });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("HTTP surface", () => {
  let server: RunningServer;
  const log = memoryLogger();

  beforeAll(async () => {
    server = await startServer({ config: plainConfig("none"), logger: log.logger });
  });
  afterAll(() => server?.close());

  it("answers GET /ping with AgentCore's health body", async () => {
    const res = await fetch(`${server.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "Healthy" });
  });

  it.each(["GET", "DELETE", "PUT"])("answers %s /mcp with 405 and Allow: POST", async (method) => {
    const res = await fetch(server.mcpUrl, { method, headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(`${server.url}/invocations`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
  });

  it("serves no protected-resource metadata outside jwt mode", async () => {
    const res = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
    expect(res.status).toBe(404);
    await res.text();
  });

  it("refuses a foreign Host or Origin by default (DNS-rebinding guard from @modelcontextprotocol/node)", async () => {
    expect((await rawPost(server.mcpUrl, { host: "attacker.example" })).status).toBe(403);
    expect((await rawPost(server.mcpUrl, { origin: "https://attacker.example" })).status).toBe(403);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        msg: "request rejected",
        check: "host",
        status: 403,
        refused: "attacker.example",
        fix: expect.stringContaining("MCP_ALLOWED_HOSTS"),
      }),
    );
    expect(log.entries).toContainEqual(
      expect.objectContaining({ check: "origin", refused: "https://attacker.example" }),
    );
    // Still healthy, and a local Origin passes.
    expect(
      (await rawPost(server.mcpUrl, { origin: "http://localhost:3000", accept: MCP_HEADERS.accept })).status,
    ).toBe(200);
  });

  it("answers GET /ping whatever the Host (orchestrators probe by IP address)", async () => {
    const res = await rawRequest(`${server.url}/ping`, "GET", { host: "10.0.3.7:8000" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: "Healthy" });
  });

  it("answers malformed JSON with a JSON-RPC parse error", async () => {
    const res = await postMcp(server.mcpUrl, '{"jsonrpc":"2.0",');
    expect(res.status).toBe(400);
    expect(await readRpc(res)).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
  });

  it("answers a 2 MB body with 413 (declared length)", async () => {
    const res = await postMcp(server.mcpUrl, JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32600 } });
  });

  it("answers a 2 MB chunked body with 413 (counted while streaming)", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 32; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(server.mcpUrl, {
      method: "POST",
      headers: MCP_HEADERS,
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    await res.text();
  });

  it("accepts requests carrying both AgentCore session headers", async () => {
    const headers = {
      "mcp-session-id": "8a6f3c1e-platform-session",
      "x-amzn-bedrock-agentcore-runtime-session-id": "runtime-session-0123456789abcdef0123456789",
    };
    const init = await postMcp(server.mcpUrl, INITIALIZE, headers);
    expect(init.status).toBe(200);
    expect(await readRpc(init)).toMatchObject({ result: { serverInfo: { name: "mcp-token-server" } } });
    const call = await postMcp(server.mcpUrl, toolCall("add", { a: 2, b: 3 }), {
      ...headers,
      "mcp-protocol-version": "2025-06-18",
    });
    expect(call.status).toBe(200);
    expect(await readRpc(call)).toMatchObject({ result: { structuredContent: { sum: 5 } } });
  });

  it("logs each request as one JSON entry with method, path, status, latency, auth outcome and session presence", async () => {
    await (await postMcp(server.mcpUrl, INITIALIZE, { "mcp-session-id": "s-1" })).text();
    await vi.waitFor(() =>
      expect(log.entries.at(-1)).toMatchObject({
        msg: "request",
        method: "POST",
        path: "/mcp",
        status: 200,
        auth: "disabled",
        sessionId: true,
      }),
    );
    expect(typeof log.entries.at(-1)?.latencyMs).toBe("number");
  });

  it("accepts a 16 KB header section (raised maxHeaderSize)", async () => {
    const res = await fetch(`${server.url}/ping`, { headers: { "x-padding": "p".repeat(16 * 1024) } });
    expect(res.status).toBe(200);
    await res.text();
  });
});

describe("graceful shutdown", () => {
  it("lets an in-flight request finish, refuses new ones, then stops", async () => {
    // Prepare
    let started!: () => void;
    const inTool = new Promise<void>((resolve) => {
      started = resolve;
    });
    const server = await startServer({
      config: plainConfig("none"),
      logger: memoryLogger().logger,
      tools: [...tools, slowTool(() => started())],
    });
    const slow = postMcp(server.mcpUrl, toolCall("slow", { ms: 400 }));
    await inTool;
    expect(server.inFlight()).toBe(1);

    // Act
    const closed = server.close();

    // Assess: new connections are refused while the slow call completes normally.
    await expect(
      new Promise((resolve, reject) => {
        const req = httpRequest(`${server.url}/ping`, { agent: false }, resolve);
        req.on("error", reject);
        req.end();
      }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await readRpc(res)).toMatchObject({
      result: { content: [{ type: "text", text: "slept 400 ms" }] },
    });
    await closed;
    expect(server.server.listening).toBe(false);
  });
});
