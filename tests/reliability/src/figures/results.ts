/**
 * Figures files: each suite run writes `tests/reliability/results/run/<name>.json` (git-ignored, so a
 * test run leaves the working tree clean); `npm run report -w @mcp-token/reliability` copies the run's
 * files into `tests/reliability/results/<name>.json` (committed) and renders them into
 * docs/RELIABILITY.md. Committed figures change only through that command.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** `tests/reliability/results`: the committed figures, written only by the report command. */
export const RESULTS_DIR = resolve(here, "../../results");

/** `tests/reliability/results/run`: what the last test run produced (git-ignored). */
export const RUN_RESULTS_DIR = join(RESULTS_DIR, "run");

/** Which table a figures file feeds. */
export type SuiteKind = "fault" | "fuzz" | "load" | "hygiene";

/** The envelope every figures file has. */
export interface ResultFile<T = unknown> {
  /** File name without `.json`, e.g. `fault-issuer`. */
  name: string;
  kind: SuiteKind;
  /** The command that reproduces the figures (from the repository root). */
  command: string;
  /** ISO time the figures were produced. */
  generatedAt: string;
  /** Node version and CPU count of the machine that produced them. */
  machine: { node: string; cpus: number };
  figures: T;
}

/** The reproduce command for a test file of this workspace. */
export function commandFor(testFile: string): string {
  return `npm test -w @mcp-token/reliability -- ${testFile}`;
}

/** Writes `results/run/<name>.json`; `command` overrides the reproduce command derived from `testFile`. */
export function writeResult<T>(
  name: string,
  kind: SuiteKind,
  testFile: string,
  figures: T,
  command?: string,
): ResultFile<T> {
  const file: ResultFile<T> = {
    name,
    kind,
    command: command ?? commandFor(testFile),
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: availableParallelism() },
    figures,
  };
  mkdirSync(RUN_RESULTS_DIR, { recursive: true });
  writeFileSync(join(RUN_RESULTS_DIR, `${name}.json`), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** Reads every figures file, sorted by name. */
export function readResults(dir: string = RESULTS_DIR): ResultFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return names.sort().map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ResultFile);
}
