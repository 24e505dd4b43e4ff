/**
 * Several cold broker instances sharing one token cache table: N processes on the production bundle
 * (src/workers/sharedInstance.ts, one Lambda instance each, with its own memory), the table created on
 * the local stack's moto with the broker's own schema (`sharedCacheTableDefinition`), all released at
 * the same moment once every instance has imported the handler.
 */
import type { LocalStack } from "@mcp-token/local";
import type { SharedInstanceInput, SharedInstanceResult } from "../workers/sharedInstance.js";
import type { BrokerFixture } from "./brokerFixture.js";
import { createCacheTable } from "./cacheTable.js";
import { cleanEnv, type NodeWorker, startNodeWorker } from "./children.js";
import { compileWorker } from "./compileWorker.js";
import type { Scope } from "./scope.js";

/** The outcome of one release of N instances. */
export interface SharedInstancesRun {
  /** Table the instances shared (new for this run). */
  table: string;
  /** One result per instance. */
  results: SharedInstanceResult[];
  /** From the go signal to the last answer, ms. */
  answeredInMs: number;
}

/** Starts `instances` cold instances on one new table, releases them together, and collects their answers. */
export async function runSharedInstances(
  scope: Scope,
  stack: LocalStack,
  fixture: BrokerFixture,
  instances: number,
): Promise<SharedInstancesRun> {
  const table = await createCacheTable(stack);
  const script = await compileWorker("sharedInstance");
  const workers: NodeWorker[] = [];
  for (let i = 0; i < instances; i++) {
    const input: SharedInstanceInput = {
      bundle: fixture.bundle,
      event: fixture.event,
      context: fixture.context,
      requestId: `shared-${i}`,
      waitMs: 30_000,
    };
    workers.push(
      startNodeWorker(scope, script, [], {
        env: cleanEnv({
          ...fixture.env,
          MCP_TOKEN_CACHE_TABLE: table,
          AWS_LAMBDA_FUNCTION_NAME: "mcp-token-broker",
          BENCH_INPUT: JSON.stringify(input),
        }),
      }),
    );
  }
  try {
    const ready = await Promise.all(workers.map((w) => w.next<{ ready?: boolean; error?: string }>(30_000)));
    const failed = ready.find((r) => !r.ready);
    if (failed) throw new Error(failed.error ?? "an instance did not start");
    const released = performance.now();
    for (const w of workers) w.child.kill("SIGUSR2");
    const results = await Promise.all(
      workers.map((w) => w.next<SharedInstanceResult & { error?: string }>(30_000)),
    );
    const error = results.find((r) => r.error);
    if (error) throw new Error(error.error);
    return { table, results, answeredInMs: performance.now() - released };
  } finally {
    await Promise.all(workers.map((w) => w.stop(2000)));
  }
}
