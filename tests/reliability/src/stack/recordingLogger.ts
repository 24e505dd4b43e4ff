/**
 * A broker logger (the `BrokerLogger` shape: debug/info/warn/error with attributes) that writes one
 * JSON line per call into a {@link LeakAudit}, the way Powertools would print it, and counts levels.
 */
import type { LeakAudit } from "../audit/leakAudit.js";

/** Structured logger shape shared by the broker (`BrokerLogger`) and the MCP server (`Logger`). */
export interface StructuredLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** A logger recording into `audit` under `source` (and handing each line to `tap`); `counts` tallies lines per level. */
export function recordingLogger(
  audit: LeakAudit,
  source: string,
  tap?: (line: string) => void,
): StructuredLogger & { counts: Record<"debug" | "info" | "warn" | "error", number> } {
  const counts = { debug: 0, info: 0, warn: 0, error: 0 };
  const write = (level: keyof typeof counts) => (message: string, attributes?: Record<string, unknown>) => {
    counts[level]++;
    let line: string;
    try {
      line = JSON.stringify({ level, message, ...attributes });
    } catch {
      line = JSON.stringify({ level, message, attributes: String(attributes) });
    }
    audit.line(source, line);
    tap?.(line);
  };
  return { counts, debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
