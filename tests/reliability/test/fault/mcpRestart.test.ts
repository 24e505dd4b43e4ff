/**
 * The MCP server restarted under an MCP host's traffic, through the stdio proxy: one long-lived
 * `mcp-token proxy` child (CLI bundle) forwards steady `tools/list`, `tools/call add` and
 * `tools/call whoami` requests; the server is stopped (graceful drain), stays away for 500 ms, and a
 * new one starts on the same port, as after a redeploy.
 *
 * The token is valid throughout (the failures here are the server being away, not token serving),
 * so "failed with a valid cached token" does not apply; what callers saw and the recovery time do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { type ProxyProcess, startProxy } from "../../src/stack/proxyProcess.js";
import { type ProxyStack, startProxyStack } from "../../src/stack/proxyStack.js";
import type { FaultFigures } from "../../src/traffic/faultReport.js";
import { runFaultScenario } from "../../src/traffic/scenario.js";
import type { Caller, CallResult } from "../../src/traffic/traffic.js";

const audit = new LeakAudit("fault-mcp-restart");
let stack: ProxyStack;
let proxy: ProxyProcess;
const results: FaultFigures[] = [];

beforeAll(async () => {
  stack = await startProxyStack({ audit, tokenLifetimeSeconds: 3600 });
  proxy = startProxy({ target: stack.mcpUrl, env: stack.cliEnv(), audit });
  const init = await proxy.request(
    {
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "restart", version: "1" },
      },
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
  writeResult("fault-mcp-restart", "fault", "test/fault/mcpRestart.test.ts", {
    faults: results,
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

function caller(name: string, message: { method: string; params?: unknown }): Caller {
  return {
    name,
    kind: "proxy",
    cachedExpiry: () => undefined,
    async call(): Promise<CallResult> {
      try {
        const res = await proxy.request(message, 10_000);
        if (res.error) return { ok: false, code: `error ${res.error.code}` };
        if ((res.result as { isError?: boolean } | undefined)?.isError)
          return { ok: false, code: "tool error" };
        return { ok: true, code: "result" };
      } catch {
        return { ok: false, code: "no answer in 10 s" };
      }
    },
  };
}

describe("MCP server restarted behind the proxy", () => {
  it("answers every request (result or JSON-RPC error) during the restart and serves again right after", async () => {
    const callers = [
      caller("tools/list", { method: "tools/list" }),
      caller("tools/call add", { method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 } } }),
      caller("tools/call whoami", { method: "tools/call", params: { name: "whoami", arguments: {} } }),
    ];
    const f = await runFaultScenario({
      fault: "mcp-server-restarted",
      description:
        "MCP server stopped (graceful drain), away for 500 ms, new server on the same port; traffic through one proxy process",
      callers,
      windowMs: 500,
      inject: () => stack.stopMcp(),
      clear: () => stack.startMcp(),
      notes: () => ({
        proxyStillRunning: proxy.tracked.child.exitCode === null,
        nonRpcStdoutLines: proxy.violations.length,
        validCachedToken: "not applicable: the token stayed valid; failures are the server being away",
      }),
    });
    const { samples: _s, ...figures } = f;
    results.push(figures);
    expect(figures.survived).toBe(true);
    expect(figures.seen.proxy?.["no answer in 10 s"] ?? 0).toBe(0);
    expect(proxy.tracked.child.exitCode).toBeNull();
    expect(proxy.violations).toEqual([]);
    expect(figures.recoveryMs).toBeLessThan(6000);
  });

  it("answers with JSON-RPC errors, never silence, when the server stays away longer than the proxy's retries", async () => {
    const callers = [
      caller("tools/list", { method: "tools/list" }),
      caller("tools/call add", { method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 } } }),
    ];
    const f = await runFaultScenario({
      fault: "mcp-server-away-5s",
      description:
        "MCP server stopped for 5 s (longer than the proxy's connect retries, 3 s), then a new one on the same port",
      callers,
      windowMs: 5000,
      inject: () => stack.stopMcp(),
      clear: () => stack.startMcp(),
      notes: () => ({
        proxyStillRunning: proxy.tracked.child.exitCode === null,
        nonRpcStdoutLines: proxy.violations.length,
        validCachedToken: "not applicable: the token stayed valid; failures are the server being away",
      }),
    });
    const { samples: _s, ...figures } = f;
    results.push(figures);
    const codes = Object.keys(figures.seen.proxy ?? {});
    expect(codes.some((c) => c.startsWith("error"))).toBe(true);
    expect(codes).not.toContain("no answer in 10 s");
    expect(figures.survived).toBe(true);
    expect(figures.recoveryMs).toBeLessThan(6000);
    expect(proxy.tracked.child.exitCode).toBeNull();
  });

  it("never writes a token or a secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
