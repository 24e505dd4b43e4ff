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
  /** How this run measured the figure, or why it was not measured. */
  note?: string;
  /** For a missed target (`met: false`): how far off, in the metric's unit and as a percentage. */
  gap?: string;
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
  /** How to reproduce the run. */
  command: string;
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

/**
 * Builds a row; `ratio` is value / baseline (null without a baseline, with a zero baseline, or when a
 * figure was not measured: NaN, which JSON writes as null).
 */
export function row(
  fields: Omit<BenchRow, "ratio" | "met" | "baseline"> & {
    baseline?: { name: string; value: number } | null;
    met?: boolean | null;
  },
): BenchRow {
  const baseline = fields.baseline
    ? { name: fields.baseline.name, value: round(fields.baseline.value, 3) }
    : null;
  const ratio =
    fields.baseline &&
    fields.baseline.value !== 0 &&
    Number.isFinite(fields.value) &&
    Number.isFinite(fields.baseline.value)
      ? ratioOf(fields.value, fields.baseline.value)
      : null;
  // Keys in the order of issue 10's shape: id, metric, value, baseline, ratio, target, met; then extras.
  return {
    id: fields.id,
    metric: fields.metric,
    value: round(fields.value, 3),
    unit: fields.unit,
    baseline,
    ratio,
    target: fields.target,
    met: fields.met ?? null,
    ...(fields.note !== undefined && { note: fields.note }),
    ...(fields.gap !== undefined && { gap: fields.gap }),
  };
}

/**
 * The gap of a missed "at least" target (`value` should be ≥ `target`) or "at most" target (≤), as
 * "<difference> <unit> (<percent> %)", or undefined when the target is met.
 */
export function gapText(
  kind: "at-least" | "at-most",
  value: number,
  target: number,
  unit: string,
): string | undefined {
  const missed = kind === "at-least" ? value < target : value > target;
  if (!missed) return undefined;
  const diff = Math.abs(target - value);
  const pct = target !== 0 ? Math.round((diff / Math.abs(target)) * 1000) / 10 : Number.POSITIVE_INFINITY;
  const side = kind === "at-least" ? "short of" : "over";
  return `${fmt(diff)} ${unit} ${side} the target (${pct} %)`;
}

/** value / baseline: 3 decimals from 1 up, 3 significant digits below (so 1 in 250,000 is not 0). */
export function ratioOf(value: number, baseline: number): number {
  const r = value / baseline;
  return Math.abs(r) >= 1 ? round(r, 3) : Number(r.toPrecision(3));
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The `p`-th percentile (nearest rank) of ascending `sorted` values; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
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
    // "1 calls" reads badly: a plain plural unit is singular for exactly 1.
    const unit = r.value === 1 && /^[a-z]+s$/.test(r.unit) ? r.unit.slice(0, -1) : r.unit;
    const value = Number.isFinite(r.value) ? `${fmt(r.value)} ${unit}` : "not measured";
    return `| ${r.id} | ${r.metric} | ${value} | ${base} | ${r.ratio ?? "–"} | ${r.target} | ${met} |`;
  });
  return [header, ...lines].join("\n");
}

/** A number for tables: thousands separators from 1,000, otherwise up to 3 decimals. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return String(round(n, 3));
}
