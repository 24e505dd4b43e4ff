/**
 * Log capture and the secrets-hygiene scan.
 *
 * Every suite routes every log line it can get hold of through {@link LeakAudit.line} (the broker's
 * injected logger, the MCP server's logger, child processes' stdout/stderr, the CLI's stderr); the
 * vitest setup file also tees this process's stdout, stderr and console. Every issued access token,
 * client secret and AWS secret a suite sees is registered with {@link LeakAudit.sensitive}. A scan
 * then looks for each sensitive value, and for the signature part of each JWT alone (a truncated
 * token is still a leak), in every captured line. Lines and values are appended to files under the
 * run directory, so the last suite can scan the output of all of them.
 */
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { logsDir, sensitiveDir } from "./runDir.js";

/** A sensitive value found in a log. Only a short fingerprint of the value is reported. */
export interface Leak {
  /** Where the line came from (`broker`, `mcp-server`, `cli-stderr`, file name for a run-wide scan). */
  source: string;
  /** First 6 characters of the value, then its length: enough to find it, not enough to use it. */
  value: string;
  /** The line, with the value replaced by `<LEAK>` and cut to 300 characters. */
  excerpt: string;
  /** Set when the value was registered as a known gap: the reason (a bug named in docs/RELIABILITY.md). */
  knownGap?: string;
}

/** What a scan looked at and what it found. */
export interface LeakScan {
  lines: number;
  bytes: number;
  sensitiveValues: number;
  leaks: Leak[];
}

/** Shortest value worth scanning for (shorter ones would match ordinary text). */
const MIN_SENSITIVE_LENGTH = 12;

/** The parts of a value to look for: the value, and for a JWT its signature part alone. */
export function needlesOf(value: string): string[] {
  const needles = [value];
  const parts = value.split(".");
  if (parts.length === 3 && value.startsWith("eyJ") && (parts[2]?.length ?? 0) >= 40) {
    needles.push(parts[2] as string);
  }
  return needles.filter((n) => n.length >= MIN_SENSITIVE_LENGTH);
}

function describe(value: string): string {
  return `${value.slice(0, 6)}…(${value.length})`;
}

/** Finds every needle in `lines`. */
export function scanLines(
  lines: Iterable<{ source: string; text: string }>,
  values: Iterable<string>,
  knownGaps: ReadonlyMap<string, string> = new Map(),
): LeakScan {
  const needles: { needle: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) continue;
    seen.add(value);
    for (const needle of needlesOf(value)) needles.push({ needle, value });
  }
  let count = 0;
  let bytes = 0;
  const leaks: Leak[] = [];
  for (const { source, text } of lines) {
    count++;
    bytes += text.length;
    for (const { needle, value } of needles) {
      if (text.includes(needle)) {
        const known = knownGaps.get(value);
        leaks.push({
          source,
          value: describe(value),
          excerpt: text.split(needle).join("<LEAK>").slice(0, 300),
          ...(known !== undefined && { knownGap: known }),
        });
      }
    }
  }
  return { lines: count, bytes, sensitiveValues: seen.size, leaks };
}

/** Per-process capture of log lines and sensitive values; see the module comment. */
export class LeakAudit {
  #count = 0;
  readonly #sensitive = new Set<string>();
  readonly #knownGaps = new Map<string, string>();
  readonly #name: string;
  #pending: string[] = [];

  /** @param name the suite's name, used in file names under the run directory. */
  constructor(name: string) {
    this.#name = name.replace(/[^A-Za-z0-9_.-]/g, "_");
    process.once("exit", () => this.flush());
  }

  /** Writes buffered lines to this suite's log file under the run directory. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join("\n")}\n`;
    this.#pending = [];
    appendFileSync(join(logsDir(), `${this.#name}-${process.pid}.log`), text);
  }

  /** Records one or more lines (split on newlines) from `source`. */
  line(source: string, text: string): void {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    if (lines.length === 0) return;
    // Lines go to a file, not memory, so capture does not distort the suites' heap figures.
    for (const l of lines) this.#pending.push(`${source}\t${l}`);
    this.#count += lines.length;
    if (this.#pending.length >= 1000) this.flush();
  }

  /** A line-buffered writer for a stream (child stdout/stderr) that records complete lines. */
  writer(source: string): { write(chunk: Buffer | string): void; end(): void } {
    let pending = "";
    return {
      write: (chunk) => {
        pending += chunk.toString();
        const nl = pending.lastIndexOf("\n");
        if (nl < 0) {
          if (pending.length > 1_000_000) {
            this.line(source, pending);
            pending = "";
          }
          return;
        }
        this.line(source, pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      },
      end: () => {
        if (pending) this.line(source, pending);
        pending = "";
      },
    };
  }

  /** Registers values that must never appear in any log. */
  sensitive(...values: (string | undefined)[]): void {
    const fresh: string[] = [];
    for (const v of values) {
      if (typeof v !== "string" || v.length < MIN_SENSITIVE_LENGTH || this.#sensitive.has(v)) continue;
      this.#sensitive.add(v);
      fresh.push(v);
    }
    if (fresh.length > 0) {
      appendFileSync(
        join(sensitiveDir(), `${this.#name}-${process.pid}.txt`),
        `${fresh.map((v) => Buffer.from(v).toString("base64")).join("\n")}\n`,
      );
    }
  }

  /**
   * Registers a sensitive value whose leak is a known, documented gap (`reason` names the bug): scans
   * still report it, marked with the reason, so suites can tell it from a new leak.
   */
  knownGap(value: string, reason: string): void {
    this.sensitive(value);
    if (this.#knownGaps.has(value)) return;
    this.#knownGaps.set(value, reason);
    appendFileSync(
      join(sensitiveDir(), `known-gaps-${this.#name}-${process.pid}.tsv`),
      `${Buffer.from(value).toString("base64")}\t${reason.replace(/[\t\n]/g, " ")}\n`,
    );
  }

  /** Number of lines recorded in this process. */
  get lines(): number {
    return this.#count;
  }

  /** Scans the lines this suite recorded (in this process) for the values it registered. */
  scan(): LeakScan {
    this.flush();
    const file = join(logsDir(), `${this.#name}-${process.pid}.log`);
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // nothing recorded yet
    }
    function* lines() {
      for (const l of text.split("\n")) {
        if (!l) continue;
        const tab = l.indexOf("\t");
        yield { source: l.slice(0, tab), text: l.slice(tab + 1) };
      }
    }
    return scanLines(lines(), this.#sensitive, this.#knownGaps);
  }
}

/** Scans every log file of the run for every sensitive value any suite registered. */
export function scanRunDir(): LeakScan & { files: number } {
  const values: string[] = [];
  const knownGaps = new Map<string, string>();
  for (const file of readdirSync(sensitiveDir())) {
    for (const line of readFileSync(join(sensitiveDir(), file), "utf8").split("\n")) {
      if (!line) continue;
      if (file.endsWith(".tsv")) {
        const [value = "", reason = ""] = line.split("\t");
        knownGaps.set(Buffer.from(value, "base64").toString("utf8"), reason);
      } else values.push(Buffer.from(line, "base64").toString("utf8"));
    }
  }
  const files = readdirSync(logsDir()).filter((f) => f.endsWith(".log"));
  function* lines() {
    for (const file of files) {
      const text = readFileSync(join(logsDir(), file), "utf8");
      for (const l of text.split("\n")) if (l) yield { source: file, text: l };
    }
  }
  return { ...scanLines(lines(), values, knownGaps), files: files.length };
}
