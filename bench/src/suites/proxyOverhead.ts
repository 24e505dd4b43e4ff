/**
 * Item 5: the cost of `mcp-token proxy`. `tools/call` latency (p50/p99, one call at a time) and
 * throughput (8 calls in flight) through the proxy, against the MCP SDK v2 client talking to the
 * server directly with a static bearer header, and against `mcp-remote` (npm) with a static `--header`;
 * all three against the local stack's MCP server (the bundle, `MCP_AUTH=jwt`) in the same run,
 * in interleaved rounds.
 */
import { join } from "node:path";
import { concurrentThroughput } from "../lib/concurrentLoop.js";
import { type LoopRun, type LoopSummary, summarize, timeLoop } from "../lib/loop.js";
import {
  type ConnectedClient,
  callAdd,
  connectDirect,
  connectMcpRemote,
  connectMcpTokenProxy,
} from "../lib/mcpClients.js";
import { brokerToken } from "../lib/token.js";
import { type BenchRow, gapText, row } from "../report.js";
import type { Suite } from "./types.js";

const ROUNDS = 2;
const LATENCY = { maxOps: 500, maxMs: 2500 };
const THROUGHPUT = { concurrency: 8, maxOps: 5000, maxMs: 2000 };
const WARMUP = { maxOps: 30, maxMs: 3000 };
const MAX_OVERHEAD_MS = 1;

interface Measured {
  latency: LoopSummary;
  opsPerSecond: number;
}

export const proxyOverhead: Suite = {
  id: "proxy-overhead",
  title: "proxy overhead (mcp-token proxy vs direct vs mcp-remote)",
  timeoutMs: 90_000,
  async run(ctx) {
    const stack = await ctx.stack();
    const token = await brokerToken(stack);
    const mcpUrl = stack.info.mcp.url;
    const variants: { name: string; client?: ConnectedClient; error?: string }[] = [
      { name: "direct", client: await connectDirect(ctx.scope, mcpUrl, token) },
      {
        name: "mcp-token proxy",
        client: await connectMcpTokenProxy(ctx.scope, stack, join(ctx.tmpDir, "proxy-home")),
      },
      { name: "mcp-remote" },
    ];
    const remote = variants[2] as (typeof variants)[number];
    try {
      remote.client = await connectMcpRemote(ctx.scope, mcpUrl, token, join(ctx.tmpDir, "mcp-remote-home"));
      await callAdd(remote.client.client);
    } catch (error) {
      remote.error = `${error instanceof Error ? error.message : String(error)}${remote.client ? `; stderr: ${remote.client.stderr().slice(-300)}` : ""}`;
      remote.client = undefined;
    }

    const latencies = new Map<string, LoopRun[]>();
    const throughputs = new Map<string, number[]>();
    for (const v of variants) {
      if (!v.client) continue;
      const { client } = v.client;
      await timeLoop(() => callAdd(client), WARMUP);
      latencies.set(v.name, []);
      throughputs.set(v.name, []);
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of variants) {
        if (!v.client) continue;
        const { client } = v.client;
        latencies.get(v.name)?.push(await timeLoop(() => callAdd(client), LATENCY));
        throughputs
          .get(v.name)
          ?.push((await concurrentThroughput(() => callAdd(client), THROUGHPUT)).opsPerSecond);
      }
    }
    const measured = (name: string): Measured | undefined => {
      const runs = latencies.get(name);
      const tp = throughputs.get(name);
      if (!runs || !tp) return undefined;
      return { latency: summarize(runs), opsPerSecond: tp.reduce((a, b) => a + b, 0) / tp.length };
    };
    const direct = measured("direct") as Measured;
    const proxy = measured("mcp-token proxy") as Measured;
    const viaRemote = measured("mcp-remote");

    const id = this.id;
    const note = `SDK v2 client, ${ROUNDS} interleaved rounds per variant of ≤ ${LATENCY.maxOps} sequential calls (≤ ${LATENCY.maxMs / 1000} s) and ${THROUGHPUT.maxMs / 1000} s at ${THROUGHPUT.concurrency} in flight, after ${WARMUP.maxOps} warm-up calls; tools/call add(1, 2), every answer checked`;
    const overhead = proxy.latency.p50Ms - direct.latency.p50Ms;
    const rows: BenchRow[] = [
      row({
        id,
        metric: "tools/call p50 via mcp-token proxy",
        value: proxy.latency.p50Ms,
        unit: "ms",
        baseline: { name: "direct SDK client, static header", value: direct.latency.p50Ms },
        target: "≤ direct + 1 ms",
        met: overhead <= MAX_OVERHEAD_MS,
        note: `overhead ${overhead.toFixed(3)} ms; ${note}`,
        ...(overhead > MAX_OVERHEAD_MS && {
          gap: `${overhead.toFixed(2)} ms over direct against ≤ 1 ms (${gapText("at-most", overhead, MAX_OVERHEAD_MS, "ms")})`,
        }),
      }),
      row({
        id,
        metric: "tools/call p99 via mcp-token proxy",
        value: proxy.latency.p99Ms,
        unit: "ms",
        baseline: { name: "direct SDK client, static header", value: direct.latency.p99Ms },
        target: "reported",
      }),
      row({
        id,
        metric: `tools/call/s via mcp-token proxy (${THROUGHPUT.concurrency} in flight)`,
        value: proxy.opsPerSecond,
        unit: "calls/s",
        baseline: { name: "direct SDK client, static header", value: direct.opsPerSecond },
        target: "reported",
      }),
    ];
    if (viaRemote) {
      const asFast = proxy.latency.p50Ms <= viaRemote.latency.p50Ms;
      rows.push(
        row({
          id,
          metric: "tools/call p50 via mcp-token proxy vs mcp-remote",
          value: proxy.latency.p50Ms,
          unit: "ms",
          baseline: { name: "mcp-remote, static --header", value: viaRemote.latency.p50Ms },
          target: "≤ mcp-remote",
          met: asFast,
          note: `mcp-remote --transport http-only --header "Authorization:Bearer …"; mcp-remote p99 ${viaRemote.latency.p99Ms.toFixed(3)} ms, direct p50 ${direct.latency.p50Ms.toFixed(3)} ms`,
          ...(!asFast && { gap: gapText("at-most", proxy.latency.p50Ms, viaRemote.latency.p50Ms, "ms") }),
        }),
        row({
          id,
          metric: `tools/call/s via mcp-token proxy vs mcp-remote (${THROUGHPUT.concurrency} in flight)`,
          value: proxy.opsPerSecond,
          unit: "calls/s",
          baseline: { name: "mcp-remote, static --header", value: viaRemote.opsPerSecond },
          target: "reported",
        }),
      );
    } else {
      rows.push(
        row({
          id,
          metric: "tools/call p50 via mcp-token proxy vs mcp-remote",
          value: proxy.latency.p50Ms,
          unit: "ms",
          baseline: null,
          target: "≤ mcp-remote",
          met: null,
          note: `not measured: mcp-remote could not run against the local server: ${remote.error ?? "unknown error"}`,
        }),
      );
    }
    return rows;
  },
};
