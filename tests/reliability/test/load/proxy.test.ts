/**
 * Bounded soak through the stdio proxy: an MCP host's view. One `mcp-token proxy` child (the built
 * CLI bundle, broker and disk cache real) forwards `tools/call add` requests, many in flight at once,
 * to the MCP server (jwt mode); every answer is checked (the right sum for its id). The proxy's heap
 * is read after full collections (heap probe preloaded into the child) after warm-up and after the soak.
 *
 * Default RELIABILITY_PROXY_LOAD_REQUESTS=5000 at 20 in flight after 1,000 warm-up calls (each call is
 * a full HTTP exchange with JWT verification on the server; about 10 s on 2 cores).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { commandFor, writeResult } from "../../src/figures/results.js";
import { runLoad } from "../../src/load/driver.js";
import { type ProxyProcess, startProxy } from "../../src/stack/proxyProcess.js";
import { type ProxyStack, startProxyStack } from "../../src/stack/proxyStack.js";
import { mib } from "../../src/stats/heap.js";

const DEFAULT_REQUESTS = 5000;
const REQUESTS = Number(process.env.RELIABILITY_PROXY_LOAD_REQUESTS ?? DEFAULT_REQUESTS);
const CONCURRENCY = Number(process.env.RELIABILITY_PROXY_LOAD_CONCURRENCY ?? 20);
const WARMUP = 1000;
const audit = new LeakAudit("load-proxy");
let stack: ProxyStack;
let proxy: ProxyProcess;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  stack = await startProxyStack({ audit, tokenLifetimeSeconds: 3600 });
  proxy = startProxy({ target: stack.mcpUrl, env: stack.cliEnv(), audit, heapProbe: true });
  const init = await proxy.request(
    {
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "load", version: "1" } },
    },
    30_000,
  );
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
  await proxy.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
});

afterAll(async () => {
  if (proxy && proxy.tracked.child.exitCode === null) await proxy.end().catch(() => {});
  await stack?.close();
  const scan = audit.scan();
  const name = REQUESTS === DEFAULT_REQUESTS ? "load-proxy" : `load-proxy-${REQUESTS}`;
  writeResult(
    name,
    "load",
    "test/load/proxy.test.ts",
    {
      path: "stdio JSON-RPC → mcp-token proxy (CLI bundle, child) → MCP server (jwt) over Streamable HTTP",
      ...figures,
      logLines: scan.lines,
      leaks: scan.leaks.length,
    },
    REQUESTS === DEFAULT_REQUESTS
      ? undefined
      : `RELIABILITY_PROXY_LOAD_REQUESTS=${REQUESTS} ${commandFor("test/load/proxy.test.ts")}`,
  );
});

async function add(i: number) {
  const res = await proxy.request({
    method: "tools/call",
    params: { name: "add", arguments: { a: i, b: 1 } },
  });
  const sum = (res.result as { structuredContent?: { sum?: number } } | undefined)?.structuredContent?.sum;
  if (sum === i + 1) return { ok: true, code: "result" };
  return { ok: false, code: res.error ? `error ${res.error.code}` : "wrong result" };
}

describe("load through the stdio proxy", () => {
  it(`answers ${REQUESTS} tool calls with ${CONCURRENCY} in flight, zero errors, stable proxy heap`, async () => {
    const warm = await runLoad({ total: WARMUP, concurrency: CONCURRENCY, call: add });
    const heapWarm = await proxy.heap();
    const load = await runLoad({ total: REQUESTS, concurrency: CONCURRENCY, call: add });
    const heapAfter = await proxy.heap();
    const exitCode = await proxy.end();
    Object.assign(figures, {
      ...load,
      ...(REQUESTS !== DEFAULT_REQUESTS && { onDemand: true }),
      warmupRequests: WARMUP,
      warmupErrors: warm.errors,
      proxyHeapAfterWarmupMiB: mib(heapWarm),
      proxyHeapAfterSoakMiB: mib(heapAfter),
      heapRatio: Math.round((heapAfter / heapWarm) * 1000) / 1000,
      heapBoundRatio: 1.2,
      nonRpcStdoutLines: proxy.violations.length,
      exitCode,
    });
    expect(warm.errors).toBe(0);
    expect(load.errors).toBe(0);
    expect(heapAfter).toBeLessThanOrEqual(heapWarm * 1.2);
    expect(proxy.violations).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it("never writes a token or a secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
