/**
 * Item 7: the MCP server's cost of authentication: `tools/call` requests/s with `MCP_AUTH=jwt`
 * (signature, issuer, audience and client checks on every request, keys cached) against
 * `MCP_AUTH=none`, same bundle, same request (both carry the bearer token), same load, interleaved.
 */
import { LOCAL } from "@mcp-token/local";
import { failuresOf, type LoadResult, runLoad } from "../lib/load.js";
import { ADD_CALL, MCP_POST_HEADERS, startMcpServerChild } from "../lib/mcpServer.js";
import { brokerToken } from "../lib/token.js";
import { gapText, row } from "../report.js";
import type { Suite } from "./types.js";

const CONNECTIONS = 10;
const ROUND_SECONDS = 4;
const ROUNDS = 2;
const TARGET_RATIO = 0.8;

async function checkAnswers(mcpUrl: string, headers: Record<string, string>, mode: string): Promise<void> {
  const res = await fetch(mcpUrl, { method: "POST", headers, body: ADD_CALL });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"sum":3')) {
    throw new Error(`MCP_AUTH=${mode}: tools/call answered HTTP ${res.status}, not the sum`);
  }
}

function combine(runs: LoadResult[]): LoadResult {
  const duration = runs.reduce((n, r) => n + r.durationSeconds, 0);
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  return {
    requestsPerSecond: duration > 0 ? ok / duration : 0,
    p50Ms: Math.max(...runs.map((r) => r.p50Ms)),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    ok,
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    durationSeconds: duration,
  };
}

export const mcpServerAuth: Suite = {
  id: "mcp-server-auth",
  title: "MCP server tools/call with MCP_AUTH=jwt vs none",
  timeoutMs: 60_000,
  async run(ctx) {
    const stack = await ctx.stack();
    const token = await brokerToken(stack);
    const jwt = await startMcpServerChild(ctx.scope, {
      MCP_AUTH: "jwt",
      AUTH_DISCOVERY_URL: stack.issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: LOCAL.audience,
      AUTH_ALLOWED_CLIENTS: LOCAL.clientId,
    });
    const none = await startMcpServerChild(ctx.scope, { MCP_AUTH: "none" });
    const headers = { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` };
    await checkAnswers(jwt.mcpUrl, headers, "jwt");
    await checkAnswers(none.mcpUrl, headers, "none");
    const unauthenticated = await fetch(jwt.mcpUrl, {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: ADD_CALL,
    });
    await unauthenticated.arrayBuffer();
    if (unauthenticated.status !== 401)
      throw new Error(`MCP_AUTH=jwt let a request without a token through (${unauthenticated.status})`);

    const load = (url: string, durationSeconds: number) =>
      runLoad({ url, method: "POST", headers, body: ADD_CALL, connections: CONNECTIONS, durationSeconds });
    await load(none.mcpUrl, 1);
    await load(jwt.mcpUrl, 1);
    const noneRuns: LoadResult[] = [];
    const jwtRuns: LoadResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      noneRuns.push(await load(none.mcpUrl, ROUND_SECONDS));
      jwtRuns.push(await load(jwt.mcpUrl, ROUND_SECONDS));
    }
    const j = combine(jwtRuns);
    const n = combine(noneRuns);
    const failures = [failuresOf(j), failuresOf(n)].filter(Boolean).join("; ");
    const ratio = j.requestsPerSecond / n.requestsPerSecond;
    const met = ratio >= TARGET_RATIO && !failures;
    const baseline = "same server, MCP_AUTH=none";
    return [
      row({
        id: this.id,
        metric: `tools/call requests/s, MCP_AUTH=jwt (${CONNECTIONS} connections)`,
        value: j.requestsPerSecond,
        unit: "req/s",
        baseline: { name: baseline, value: n.requestsPerSecond },
        target: "≥ 80 % of none",
        met,
        note:
          `autocannon, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per mode after 1 s warm-ups; ` +
          `the bundle in a child process with request logs to /dev/null; both modes receive the same bearer token; ` +
          `rounds jwt ${jwtRuns.map((r) => Math.round(r.requestsPerSecond)).join(", ")} req/s, none ${noneRuns.map((r) => Math.round(r.requestsPerSecond)).join(", ")} req/s` +
          (failures ? `; failures: ${failures}` : ""),
        ...(ratio < TARGET_RATIO && {
          gap: `${Math.round(ratio * 1000) / 10} % of none against ≥ 80 % (${gapText("at-least", j.requestsPerSecond, n.requestsPerSecond * TARGET_RATIO, "req/s")})`,
        }),
      }),
      row({
        id: this.id,
        metric: `tools/call p99 latency, MCP_AUTH=jwt (${CONNECTIONS} connections)`,
        value: j.p99Ms,
        unit: "ms",
        baseline: { name: baseline, value: n.p99Ms },
        target: "reported",
      }),
    ];
  },
};
