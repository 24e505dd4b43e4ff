/** Runs one cold broker process (src/workers/coldCallers.ts) and measures it from the outside. */
import { performance } from "node:perf_hooks";
import type { ColdCallersInput, ColdCallersResult } from "../workers/coldCallers.js";
import type { BrokerFixture } from "./brokerFixture.js";
import { cleanEnv, startNodeWorker } from "./children.js";
import { compileWorker } from "./compileWorker.js";
import type { Scope } from "./scope.js";

/** A cold process's answers, with the wall time from spawn to the message carrying them (ms). */
export interface ColdBrokerRun extends ColdCallersResult {
  wallMs: number;
}

/**
 * Spawns a fresh broker process that serves `callers` concurrent invocations of `fixture.event` (a token
 * request), and waits for it. `env` is added to the fixture's environment.
 */
export async function runColdBroker(
  scope: Scope,
  fixture: Pick<BrokerFixture, "bundle" | "env" | "event" | "context">,
  callers: number,
  env: Record<string, string> = {},
): Promise<ColdBrokerRun> {
  const script = await compileWorker("coldCallers");
  const input: ColdCallersInput = {
    bundle: fixture.bundle,
    event: fixture.event,
    context: fixture.context,
    callers,
  };
  const started = performance.now();
  const worker = startNodeWorker(scope, script, [], {
    env: cleanEnv({ ...fixture.env, ...env, BENCH_INPUT: JSON.stringify(input) }),
  });
  try {
    const result = await worker.next<ColdCallersResult & { error?: string }>(30_000);
    const wallMs = performance.now() - started;
    if (result.error) throw new Error(result.error);
    return { ...result, wallMs };
  } finally {
    await worker.stop(2000);
  }
}
