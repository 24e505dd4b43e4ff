import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { alive, runCli, spawnCli } from "../support/cli.js";
import { startDelayRelay } from "../support/delayRelay.js";
import { AUDIENCE, BUNDLE, type Stack, startStack } from "../support/stack.js";

describe("mcp-token proxy (bundle, MCP SDK v2 client over stdio, local stack)", () => {
  let stack: Stack;
  let client: Client | undefined;
  let stderr = "";
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    stack.issuer.setTtl(AUDIENCE, 3600);
  });

  async function connect(extra: string[] = []): Promise<{ client: Client; transport: StdioClientTransport }> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUNDLE, "proxy", stack.mcpUrl, "--aws-profile", "developer", "--log-level", "info", ...extra],
      env: stack.env,
      stderr: "pipe",
    });
    stderr = "";
    transport.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    return { client, transport };
  }

  const add = async (c: Client, a: number, b: number) => {
    const result = await c.callTool({ name: "add", arguments: { a, b } });
    if (result.isError) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
    return (result.structuredContent as { sum: number }).sum;
  };

  it("initialises and lists the server's tools through the proxy", async () => {
    const { client: c } = await connect();
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["add", "whoami"]);
    expect(c.getServerVersion()?.name).toBeTruthy();
  });

  it("replaces a token revoked mid-session after one retry", async () => {
    // Prepare: a session whose token is a few seconds old (the broker honours "a token that outlives
    // the rejected one" only below the token's whole lifetime; see docs/CLIENTS.md)
    const { client: c } = await connect();
    expect(await add(c, 1, 2)).toBe(3);
    await sleep(1500);
    const before = stack.broker.invocations();
    const issuedBefore = stack.issued();
    // Act: the issuer drops the key that signed the current token; the server's JWKS cache expires
    await stack.issuer.rotateSigningKey({ keepOld: false });
    await sleep(700);
    const sum = await add(c, 2, 3);
    // Assess: one broker call, one new token, the call itself succeeded
    expect(sum).toBe(5);
    expect(stack.broker.invocations() - before).toBe(1);
    expect(stack.issued() - issuedBefore).toBe(1);
    expect(stderr).toContain("MCP server answered 401; refreshing the token and retrying once");
  });

  it("survives a restart of the MCP server mid-session without failed calls", async () => {
    // Prepare: like any host, list the tools first; the proxy learns that `add` is idempotent and so
    // may be resent if a connection drops mid-request while the server goes away.
    const { client: c } = await connect();
    await c.listTools();
    expect(await add(c, 1, 1)).toBe(2);
    let failures = 0;
    let calls = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        calls++;
        await add(c, 1, 1).catch(() => failures++);
        await sleep(20);
      }
    })();
    await sleep(200);
    await stack.restartMcp(300);
    await sleep(500);
    stop = true;
    await loop;
    expect(failures).toBe(0);
    expect(calls).toBeGreaterThan(5);
    expect(await add(c, 20, 22)).toBe(42);
  });

  it("answers 100 parallel tool calls", async () => {
    const { client: c } = await connect();
    const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => add(c, i, i)));
    expect(sums).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i));
  });

  it("exits 0 within a second of stdin closing, leaving no process behind", async () => {
    // Prepare: a running proxy with an initialised session
    const child = spawnCli(["proxy", stack.mcpUrl, "--aws-profile", "developer"], stack.env);
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin?.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })}\n`,
    );
    while (!out.includes('"id":1')) await sleep(10);
    // Act
    const closedAt = Date.now();
    child.stdin?.end();
    const code = await exited;
    // Assess
    expect(code).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(alive(child.pid as number)).toBe(false);
  });

  // What a new user tries first: `printf '<initialize>\n<initialized>\n<tools/call>\n' | mcp-token proxy URL`.
  // stdin ends before any answer can arrive; the answers must still come, then a clean exit.
  const pipedLines = `${[
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "sh", version: "1" } },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "add", arguments: { a: 2, b: 40 } } },
  ]
    .map((m) => JSON.stringify(m))
    .join("\n")}\n`;
  const expectPipedAnswers = (stdout: string) => {
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-06-18" } });
    expect(lines[1]).toMatchObject({ jsonrpc: "2.0", id: 2, result: { structuredContent: { sum: 42 } } });
  };

  it("answers requests piped in with stdin already closed, then exits 0", async () => {
    // Act: no disk cache, so the token comes from the broker as on a first run
    const result = await runCli(
      ["proxy", stack.mcpUrl, "--aws-profile", "developer", "--no-cache"],
      stack.env,
      pipedLines,
    );
    // Assess
    expect(result.exitCode, result.stderr).toBe(0);
    expectPipedAnswers(result.stdout);
  });

  it("waits for answers in flight after stdin closes even when each takes a second, then exits 0 leaving no process", async () => {
    // Prepare: every answer of the MCP server arrives one second late
    const relay = await startDelayRelay(new URL(stack.mcpUrl), 1000);
    try {
      const child = spawnCli(["proxy", relay.url.href, "--aws-profile", "developer"], stack.env);
      let out = "";
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      // Act
      const started = Date.now();
      child.stdin?.end(pipedLines);
      const code = await exited;
      // Assess: initialize, initialized and tools/call each took a second, one after the other
      expect(code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expectPipedAnswers(out);
      expect(alive(child.pid as number)).toBe(false);
    } finally {
      await relay.close();
    }
  });

  it("answers bad input lines with JSON-RPC errors and keeps serving", async () => {
    const child = spawnCli(["proxy", stack.mcpUrl, "--aws-profile", "developer"], stack.env);
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin?.write("this is not json\n");
    child.stdin?.write(`${"x".repeat(5 * 1024 * 1024)}\n`);
    child.stdin?.write('{"jsonrpc":"1.0","id":7}\n');
    child.stdin?.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: 8, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })}\n`,
    );
    while (!out.includes('"id":8')) await sleep(10);
    child.stdin?.end();
    expect(await exited).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, 3)).toEqual([
      {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, message: "Parse error: the line is not valid JSON" },
      },
      {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, message: "Parse error: message exceeds 4194304 bytes" },
      },
      {
        jsonrpc: "2.0",
        id: 7,
        error: { code: -32600, message: "Invalid Request: not a JSON-RPC 2.0 message" },
      },
    ]);
    expect(lines[3]).toMatchObject({ id: 8, result: { protocolVersion: expect.any(String) } });
  });
});
