/** Captures what is written to process.stdout / process.stderr while a function runs. */
import { vi } from "vitest";

/** Runs `fn` and returns the lines it wrote to stdout and stderr (still forwarded to the log capture). */
export async function captureOutput<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; stdout: string[]; stderr: string[] }> {
  const chunks = { stdout: "", stderr: "" };
  const spies = (["stdout", "stderr"] as const).map((name) => {
    const stream = process[name];
    const original = stream.write.bind(stream);
    return vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      chunks[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  });
  try {
    const result = await fn();
    const lines = (text: string) => text.split("\n").filter((l) => l.length > 0);
    return { result, stdout: lines(chunks.stdout), stderr: lines(chunks.stderr) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** The EMF (CloudWatch embedded metric format) lines among `lines`, parsed. */
export function emfLines(lines: readonly string[]): EmfLine[] {
  return lines.filter((l) => l.startsWith("{") && l.includes('"_aws"')).map((l) => JSON.parse(l) as EmfLine);
}

/** An EMF document as Powertools writes it. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/**
 * Checks `line` against the EMF specification's rules: a numeric timestamp, at least one directive with
 * a namespace, every dimension a string member of the root and every metric a number (or number array)
 * member of the root; at most 30 dimensions per set and 100 metrics per directive. Returns the problems.
 */
export function emfProblems(line: EmfLine): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(line._aws?.Timestamp)) problems.push("_aws.Timestamp is not an integer");
  const directives = line._aws?.CloudWatchMetrics ?? [];
  if (directives.length === 0) problems.push("no CloudWatchMetrics directive");
  for (const d of directives) {
    if (typeof d.Namespace !== "string" || d.Namespace.length === 0) problems.push("empty Namespace");
    if (d.Metrics.length > 100) problems.push("more than 100 metrics");
    for (const set of d.Dimensions) {
      if (set.length > 30) problems.push("more than 30 dimensions in a set");
      for (const key of set) {
        if (typeof line[key] !== "string") problems.push(`dimension ${key} is not a string member`);
      }
    }
    for (const m of d.Metrics) {
      const value = line[m.Name];
      const ok =
        typeof value === "number" || (Array.isArray(value) && value.every((v) => typeof v === "number"));
      if (!ok) problems.push(`metric ${m.Name} has no numeric member`);
    }
  }
  return problems;
}
