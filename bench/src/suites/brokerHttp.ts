/**
 * Item 2: the broker over HTTP: the production bundle behind the Function URL emulator (SigV4
 * verified on every request), at 50 connections for 10 s, against the same emulator with a no-op
 * handler. One signed `POST /v1/token` is replayed (the emulator, like AWS, accepts it for ±5 min).
 * The server runs in a child process (its logs discarded), the load generator in this one.
 */
import { LOCAL } from "@mcp-token/local";
import { cleanEnv, startNodeWorker } from "../lib/children.js";
import { compileWorker } from "../lib/compileWorker.js";
import { failuresOf, type LoadResult, runLoad } from "../lib/load.js";
import type { Scope } from "../lib/scope.js";
import { sendSigned, signRequest, TOKEN_REQUEST_BODY } from "../lib/signRequest.js";
import { gapText, row } from "../report.js";
import type { FunctionUrlInput } from "../workers/functionUrl.js";
import type { Suite } from "./types.js";

const CONNECTIONS = 50;
const SECONDS = 10;
const WARMUP_SECONDS = 1;
const TARGET_RATIO = 0.5;

async function measure(
  scope: Scope,
  handler: FunctionUrlInput["handler"],
  env: Record<string, string>,
  bundle: string,
  identity: Parameters<typeof signRequest>[0]["identity"],
): Promise<LoadResult> {
  const input: FunctionUrlInput = { handler, bundle, region: LOCAL.region, accountId: LOCAL.accountId };
  const worker = startNodeWorker(scope, await compileWorker("functionUrl"), [], {
    nodeArgs: ["--import", "tsx"],
    env: cleanEnv({ ...env, BENCH_INPUT: JSON.stringify(input) }),
  });
  try {
    const { url, error } = await worker.next<{ url?: string; error?: string }>(30_000);
    if (!url) throw new Error(error ?? "the emulator worker sent no URL");
    const req = await signRequest({
      url: `${url}/v1/token`,
      method: "POST",
      body: TOKEN_REQUEST_BODY,
      identity,
      region: LOCAL.region,
    });
    const first = await sendSigned(req);
    if (first.status !== 200) throw new Error(`${handler}: the signed request answered HTTP ${first.status}`);
    const load = {
      url: req.url,
      method: req.method,
      headers: req.headers,
      body: TOKEN_REQUEST_BODY,
      connections: CONNECTIONS,
    };
    await runLoad({ ...load, durationSeconds: WARMUP_SECONDS });
    return await runLoad({ ...load, durationSeconds: SECONDS });
  } finally {
    await worker.stop();
  }
}

export const brokerHttp: Suite = {
  id: "broker-http",
  title: "broker over HTTP (Function URL emulator, SigV4)",
  timeoutMs: 60_000,
  async run(ctx) {
    const stack = await ctx.stack();
    const fixture = await ctx.fixture();
    const identity = stack.identities.developer;
    const noop = await measure(ctx.scope, "noop", {}, fixture.bundle, identity);
    const ours = await measure(ctx.scope, "broker", fixture.env, fixture.bundle, identity);
    const baseline = "emulator + no-op handler";
    const failures = [failuresOf(ours), failuresOf(noop)].filter(Boolean).join("; ");
    const ratio = ours.requestsPerSecond / noop.requestsPerSecond;
    const note =
      `autocannon, ${CONNECTIONS} connections, ${SECONDS} s each after a ${WARMUP_SECONDS} s warm-up; ` +
      `${ours.ok} token responses vs ${noop.ok} no-op responses` +
      (failures ? `; failures: ${failures}` : "");
    return [
      row({
        id: this.id,
        metric: `requests/s at ${CONNECTIONS} connections`,
        value: ours.requestsPerSecond,
        unit: "req/s",
        baseline: { name: baseline, value: noop.requestsPerSecond },
        target: "≥ 50 % of the no-op emulator",
        met: ratio >= TARGET_RATIO && !failures,
        note,
        ...(ratio < TARGET_RATIO && {
          gap: `${Math.round(ratio * 1000) / 10} % of the no-op emulator's throughput against ≥ 50 % (${gapText("at-least", ours.requestsPerSecond, noop.requestsPerSecond * TARGET_RATIO, "req/s")})`,
        }),
      }),
      row({
        id: this.id,
        metric: `p99 latency at ${CONNECTIONS} connections`,
        value: ours.p99Ms,
        unit: "ms",
        baseline: { name: baseline, value: noop.p99Ms },
        target: "reported",
      }),
    ];
  },
};
