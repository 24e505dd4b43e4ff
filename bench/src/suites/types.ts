/** The contract between the runner and each benchmark. */
import type { LocalStack } from "@mcp-token/local";
import type { BrokerFixture } from "../lib/brokerFixture.js";
import type { FleetFixture } from "../lib/fleetFixture.js";
import type { Scope } from "../lib/scope.js";
import type { BenchRow } from "../report.js";

/** The result ids of `bench/results/latest.json`, in report order. */
export const BENCH_IDS = [
  "broker-hot-path",
  "broker-http",
  "upstream-economy",
  "cold-start",
  "proxy-overhead",
  "cli-headers",
  "mcp-server-auth",
  "issuance-sim",
] as const;

export type BenchId = (typeof BENCH_IDS)[number];

/** What a benchmark gets from the runner. */
export interface BenchContext {
  /** The local stack (moto, issuer, bundled broker behind the emulator, MCP server child), started once. */
  stack(): Promise<LocalStack>;
  /** Broker config/env/event for the stack, built once. */
  fixture(): Promise<BrokerFixture>;
  /** The fleet's issuer, profiles and Lambda environment (1,000 distinct callers), built once. */
  fleet(): Promise<FleetFixture>;
  /** Closed by the runner when the benchmark ends, however it ends. */
  scope: Scope;
  /** A private temporary directory for this run (removed at the end). */
  tmpDir: string;
  /** Progress on stderr. */
  log(message: string): void;
}

/** One benchmark item of issue 10. */
export interface Suite {
  id: BenchId;
  title: string;
  /** Hard limit; the runner abandons the suite and closes its scope after this long. */
  timeoutMs: number;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
