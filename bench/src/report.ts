/**
 * The shape of `bench/results/latest.json` and the helpers that build its rows.
 *
 * Every figure is reported next to a baseline measured in the same run, as a ratio, because absolute
 * numbers drift on shared machines. `target` is a human-readable goal; `met` says whether this run met it.
 */
import os from "node:os";

export interface BenchRow {
  id: string;
  metric: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

export interface BenchReport {
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    arch: string;
  };
  startedAt: string;
  durationSeconds: number;
  results: BenchRow[];
}

export function machineInfo(): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
  };
}

/** Builds a row; `ratio` is value / baseline (null without a baseline or with a zero baseline). */
export function row(
  fields: Omit<BenchRow, "ratio" | "met" | "baseline"> & {
    baseline?: { name: string; value: number } | null;
    met?: boolean | null;
  },
): BenchRow {
  const baseline = fields.baseline ?? null;
  const ratio = baseline && baseline.value !== 0 ? round(fields.value / baseline.value, 3) : null;
  return { ...fields, value: round(fields.value, 3), baseline, ratio, met: fields.met ?? null };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Renders rows as a Markdown table (also printed to the terminal). */
export function toMarkdownTable(rows: readonly BenchRow[]): string {
  const header = "| id | metric | value | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|";
  const lines = rows.map((r) => {
    const base = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : "–";
    const met = r.met === null ? "–" : r.met ? "yes" : "**no**";
    return `| ${r.id} | ${r.metric} | ${fmt(r.value)} ${r.unit} | ${base} | ${r.ratio ?? "–"} | ${r.target} | ${met} |`;
  });
  return [header, ...lines].join("\n");
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return String(round(n, 3));
}
