import { describe, expect, it } from "vitest";
import { fmt, gapText, median, percentile, ratioOf, row, toMarkdownTable } from "../src/report.js";

describe("percentile", () => {
  it("returns the nearest-rank value of sorted samples", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it("accepts typed arrays and is NaN when there are no samples", () => {
    expect(percentile(new Float64Array([1, 2, 3]), 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it("gives the median of unsorted values without changing them", () => {
    const values = [9, 1, 5, 3, 7];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });
});

describe("row", () => {
  it("computes the ratio to the baseline and rounds value and baseline to 3 decimals", () => {
    // Prepare / Act
    const r = row({
      id: "broker-http",
      metric: "requests/s",
      value: 1234.56789,
      unit: "req/s",
      baseline: { name: "no-op", value: 2469.13578 },
      target: "≥ 50 %",
      met: true,
    });
    // Assess
    expect(r).toMatchObject({
      value: 1234.568,
      baseline: { name: "no-op", value: 2469.136 },
      ratio: 0.5,
      met: true,
    });
  });

  it("keeps three significant digits for small ratios so one in 250,000 is not 0", () => {
    expect(ratioOf(1, 248_804)).toBe(0.00000402);
    expect(ratioOf(3, 2)).toBe(1.5);
  });

  it("has no ratio without a baseline, with a zero baseline, or for a figure that was not measured", () => {
    const base = { id: "x", metric: "m", unit: "u", target: "t" };
    expect(row({ ...base, value: 1 }).ratio).toBeNull();
    expect(row({ ...base, value: 1, baseline: { name: "b", value: 0 } }).ratio).toBeNull();
    expect(row({ ...base, value: Number.NaN, baseline: { name: "b", value: 8 } }).ratio).toBeNull();
    expect(row({ ...base, value: 1 }).met).toBeNull();
  });

  it("serialises a figure that was not measured as null", () => {
    const r = row({ id: "x", metric: "m", value: Number.NaN, unit: "u", target: "t" });
    expect(JSON.parse(JSON.stringify(r)).value).toBeNull();
  });
});

describe("gapText", () => {
  it("states how far an at-least target was missed, in the unit and as a percentage", () => {
    expect(gapText("at-least", 30_000, 50_000, "ops/s")).toBe("20,000 ops/s short of the target (40 %)");
  });

  it("states how far an at-most target was exceeded", () => {
    expect(gapText("at-most", 1.65, 1.5, "×")).toBe("0.15 × over the target (10 %)");
    // The hot path's p99, in µs against 1 ms.
    expect(gapText("at-most", 1250, 1000, "µs")).toBe("250 µs over the target (25 %)");
  });

  it("is undefined when the target is met", () => {
    expect(gapText("at-least", 60_000, 50_000, "ops/s")).toBeUndefined();
    expect(gapText("at-most", 1.5, 1.5, "×")).toBeUndefined();
    expect(gapText("at-most", 125.4, 1000, "µs")).toBeUndefined();
  });
});

describe("toMarkdownTable", () => {
  it("renders one line per row with baseline, ratio and verdict", () => {
    const table = toMarkdownTable([
      row({
        id: "cold-start",
        metric: "bundle size",
        value: 273_458,
        unit: "bytes",
        baseline: { name: "sdk", value: 447_827 },
        target: "≤ 1 MB",
        met: true,
      }),
      row({
        id: "broker-hot-path",
        metric: "p99 handler time",
        value: 1234.5678,
        unit: "µs",
        baseline: { name: "constant-response handler", value: 1.302 },
        target: "≤ 1 ms (1,000 µs)",
        met: false,
      }),
      row({ id: "upstream-economy", metric: "shared", value: Number.NaN, unit: "calls", target: "1" }),
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe(
      "| cold-start | bundle size | 273,458 bytes | sdk: 447,827 | 0.611 | ≤ 1 MB | yes |",
    );
    expect(lines[3]).toBe(
      "| broker-hot-path | p99 handler time | 1,235 µs | constant-response handler: 1.302 | 948.209 | ≤ 1 ms (1,000 µs) | **no** |",
    );
    expect(lines[4]).toBe("| upstream-economy | shared | not measured | – | – | 1 | – |");
  });

  it("formats numbers with thousands separators from 1,000 and up to 3 decimals below", () => {
    expect(fmt(1234.5)).toBe("1,235");
    expect(fmt(0.12345)).toBe("0.123");
    expect(fmt(Number.NaN)).toBe("NaN");
  });
});

describe("row shape", () => {
  it("lists the keys in the order of the issue's result shape, extras last", () => {
    const r = row({
      id: "cold-start",
      metric: "m",
      value: 1,
      unit: "ms",
      baseline: { name: "node -e 0", value: 2 },
      target: "t",
      met: true,
      note: "n",
      gap: "g",
    });
    expect(Object.keys(r)).toEqual([
      "id",
      "metric",
      "value",
      "unit",
      "baseline",
      "ratio",
      "target",
      "met",
      "note",
      "gap",
    ]);
  });

  it("writes a plain plural unit in the singular for exactly 1", () => {
    const table = toMarkdownTable([row({ id: "x", metric: "m", value: 1, unit: "calls", target: "t" })]);
    expect(table).toContain("| 1 call |");
  });
});
