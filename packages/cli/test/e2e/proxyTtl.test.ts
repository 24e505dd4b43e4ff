import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE, type Stack, startStack } from "../support/stack.js";

describe("mcp-token proxy with 2 s tokens (bundle, MCP SDK v2 client over stdio, local stack)", () => {
  let stack: Stack;
  let client: Client | undefined;
  beforeAll(async () => {
    // A stack of its own: the broker must never have cached a longer-lived token.
    stack = await startStack({ ttlSeconds: 2 });
  });
  afterAll(async () => {
    await client?.close();
    await stack?.close();
  });

  async function connect(extra: string[]): Promise<{ client: Client }> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUNDLE, "proxy", stack.mcpUrl, "--aws-profile", "developer", ...extra],
      env: stack.env,
      stderr: "pipe",
    });
    client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    return { client };
  }

  const add = async (c: Client, a: number, b: number) => {
    const result = await c.callTool({ name: "add", arguments: { a, b } });
    if (result.isError) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
    return (result.structuredContent as { sum: number }).sum;
  };

  it("calls tools continuously for over three 2 s token lifetimes with zero failures, asking the broker per lifetime, not per call", async () => {
    // Prepare: 2 s tokens; no disk cache so every token comes from the broker
    const { client: c } = await connect(["--min-ttl", "0", "--no-cache"]);
    const before = stack.broker.invocations();
    const issuedBefore = stack.issued();
    const started = Date.now();
    let calls = 0;
    // Act: two callers, back to back, for 7 s (3.5 lifetimes)
    const worker = async () => {
      while (Date.now() - started < 7000) {
        const n = calls++;
        expect(await add(c, n, 1)).toBe(n + 1);
      }
    };
    await Promise.all([worker(), worker()]);
    // Assess
    const brokerCalls = stack.broker.invocations() - before;
    // 7 s of 2 s tokens = 3.5 lifetimes. expires_in has whole-second resolution (half a 2 s
    // lifetime), so the client refreshes somewhat more often than once per lifetime; the broker's
    // cache still asks the issuer about once per lifetime. Either way: lifetimes, not calls.
    const lifetimes = 3.5;
    expect(calls).toBeGreaterThan(100);
    expect(brokerCalls).toBeGreaterThanOrEqual(3);
    expect(brokerCalls).toBeLessThanOrEqual(3 * lifetimes); // measured: 8
    expect(stack.issued() - issuedBefore).toBeLessThanOrEqual(2 * lifetimes); // measured: 5-6
  });
});
