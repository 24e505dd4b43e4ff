/**
 * Log capture for the whole broker suite. `captureLogs.setup.ts` tees everything written to
 * stdout/stderr/console in every test file into `$BROKER_LOG_DIR/*.log`; tests register every issued
 * token and client secret they see with {@link recordSensitive}; `logAudit.test.ts` runs last and checks
 * that no sensitive value appears in any captured log.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrokerLogger } from "../../src/logger.js";

export function logDir(): string {
  const dir = process.env.BROKER_LOG_DIR;
  if (!dir) throw new Error("BROKER_LOG_DIR is not set: run the tests through vitest.config.ts");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Remembers a value that must never appear in logs (one per line, in a side file). */
export function recordSensitive(...values: string[]): void {
  const lines = values.filter((v) => v.length >= 8).map((v) => `${Buffer.from(v).toString("base64")}\n`);
  if (lines.length > 0) appendFileSync(join(logDir(), `sensitive-${process.pid}.txt`), lines.join(""));
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  attributes: Record<string, unknown>;
}

/** A logger that records entries and writes them as JSON lines to stdout (so the capture sees them). */
export function recordingLogger(): BrokerLogger & {
  entries: LogEntry[];
  audits(): Record<string, unknown>[];
} {
  const entries: LogEntry[] = [];
  const write =
    (level: LogEntry["level"]) =>
    (message: string, attributes: Record<string, unknown> = {}) => {
      entries.push({ level, message, attributes });
      process.stdout.write(`${JSON.stringify({ level, message, ...attributes })}\n`);
    };
  return {
    entries,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    audits: () => entries.filter((e) => e.message === "audit").map((e) => e.attributes),
  };
}
