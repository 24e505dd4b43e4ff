/**
 * Where one run of the suites keeps its captured output: `$RELIABILITY_RUN_DIR` (set by
 * vitest.config.ts for every test file), with `logs/` (one file per source and process) and
 * `sensitive/` (values that must never appear in a log, base64 per line).
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Environment variable naming the run directory. */
export const RUN_DIR_ENV = "RELIABILITY_RUN_DIR";

/** The run directory (created when missing); a per-process temp directory outside vitest. */
export function runDir(): string {
  let dir = process.env[RUN_DIR_ENV];
  if (!dir) {
    dir = join(tmpdir(), `mcp-token-reliability-${process.pid}`);
    process.env[RUN_DIR_ENV] = dir;
  }
  mkdirSync(join(dir, "logs"), { recursive: true });
  mkdirSync(join(dir, "sensitive"), { recursive: true });
  return dir;
}

/** `<run dir>/logs`. */
export function logsDir(): string {
  return join(runDir(), "logs");
}

/** `<run dir>/sensitive`. */
export function sensitiveDir(): string {
  return join(runDir(), "sensitive");
}
