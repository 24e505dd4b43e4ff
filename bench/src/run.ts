/**
 * `npm run bench`: runs every benchmark (issue 10's items, with issue 15's targets) in order, each
 * bounded in time and closed (servers, child processes) however it ends; prints the table; writes
 * bench/results/latest.json and the generated section of docs/BENCHMARKS.md.
 *
 * `npm run bench -w @mcp-token/bench -- <id> …` runs only the named benchmarks and prints their table
 * without writing either file.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { FREE_PORTS, type LocalStack, startLocalStack } from "@mcp-token/local";
import { updateBenchmarksDoc } from "./benchmarksDoc.js";
import { type BrokerFixture, brokerFixture } from "./lib/brokerFixture.js";
import { BENCH_DIR } from "./lib/children.js";
import { type FleetFixture, fleetFixture } from "./lib/fleetFixture.js";
import { Scope } from "./lib/scope.js";
import { type BenchReport, type BenchRow, machineInfo, row, toMarkdownTable } from "./report.js";
import { SUITES } from "./suites/index.js";
import type { BenchContext, Suite } from "./suites/types.js";

/** The whole run must stay under 5 minutes on 2 cores; suites are skipped once this is spent. */
const RUN_BUDGET_MS = 270_000;
const RESULTS_FILE = resolve(BENCH_DIR, "results/latest.json");
const DOC_FILE = resolve(BENCH_DIR, "../docs/BENCHMARKS.md");

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

function failureRow(suite: Suite, error: unknown): BenchRow {
  const message = error instanceof Error ? error.message : String(error);
  return row({
    id: suite.id,
    metric: `${suite.title}: not measured`,
    value: Number.NaN,
    unit: "",
    target: "runs",
    met: false,
    note: `failed: ${message.slice(0, 500)}`,
    gap: `the benchmark failed: ${message.slice(0, 200)}`,
  });
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const unknown = only.filter((id) => !SUITES.some((s) => s.id === id));
  if (unknown.length > 0) {
    log(`unknown benchmark id(s): ${unknown.join(", ")}; known: ${SUITES.map((s) => s.id).join(", ")}`);
    return 2;
  }
  const selected = only.length > 0 ? SUITES.filter((s) => only.includes(s.id)) : SUITES;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const root = new Scope();
  let current: Scope | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping everything`);
    void (async () => {
      await current?.close();
      await root.close();
      process.exit(130);
    })();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const tmpDir = await mkdtemp(join(tmpdir(), "mcp-token-bench-"));
  root.defer(() => rm(tmpDir, { recursive: true, force: true }));
  let stack: Promise<LocalStack> | undefined;
  let fixture: Promise<BrokerFixture> | undefined;
  let fleet: Promise<FleetFixture> | undefined;
  const getStack = () => {
    stack ??= (async () => {
      log("starting the local stack (moto, issuer, broker, MCP server)");
      const s = await startLocalStack({
        ...FREE_PORTS,
        tokenLifetimeSeconds: 3600,
        stateDir: join(tmpDir, "stack"),
        quiet: true,
      });
      root.defer(() => s.close());
      return s;
    })();
    return stack;
  };
  const getFixture = () => {
    fixture ??= getStack().then(brokerFixture);
    return fixture;
  };
  const getFleet = () => {
    fleet ??= (async () => {
      const f = await fleetFixture(await getStack(), await getFixture());
      root.defer(() => f.issuer.close());
      return f;
    })();
    return fleet;
  };

  const rows: BenchRow[] = [];
  let failures = 0;
  try {
    for (const suite of selected) {
      // No item may run past the run's budget: its own limit is cut to what is left.
      const remainingMs = RUN_BUDGET_MS - (performance.now() - started);
      if (remainingMs < 5000) {
        failures++;
        rows.push(failureRow(suite, new Error("skipped: the run's 270 s budget was spent")));
        continue;
      }
      const timeoutMs = Math.min(suite.timeoutMs, remainingMs);
      const scope = new Scope();
      current = scope;
      const ctx: BenchContext = { stack: getStack, fixture: getFixture, fleet: getFleet, scope, tmpDir, log };
      const t0 = performance.now();
      log(`${suite.id}: ${suite.title}`);
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)),
            timeoutMs,
          );
        });
        rows.push(...(await Promise.race([suite.run(ctx), timeout])));
      } catch (error) {
        failures++;
        log(`${suite.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        rows.push(failureRow(suite, error));
      } finally {
        clearTimeout(timer);
        await scope.close();
        current = undefined;
      }
      log(`${suite.id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await root.close();
  }

  const report: BenchReport = {
    machine: machineInfo(),
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    command: "npm run bench",
    results: rows,
  };
  console.log(toMarkdownTable(rows));
  for (const r of rows) if (r.note) console.log(`- ${r.id} / ${r.metric}: ${r.note}`);
  if (only.length === 0) {
    await mkdir(resolve(BENCH_DIR, "results"), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    await updateBenchmarksDoc(DOC_FILE, report);
    log(`wrote ${RESULTS_FILE} and ${DOC_FILE}`);
  }
  log(
    `finished in ${report.durationSeconds} s${failures > 0 ? ` with ${failures} failed benchmark(s)` : ""}`,
  );
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
