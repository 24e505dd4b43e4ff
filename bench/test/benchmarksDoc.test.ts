import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DOC_END, DOC_START, renderGeneratedSection, replaceGeneratedSection } from "../src/benchmarksDoc.js";
import { assumptionsTable, DEFAULT_ASSUMPTIONS } from "../src/issuanceSim.js";
import { type BenchReport, gapText, row } from "../src/report.js";

const report: BenchReport = {
  machine: { cpus: 2, cpuModel: "Test CPU", memoryGiB: 8, node: "v20.20.2", platform: "linux", arch: "x64" },
  startedAt: "2026-11-26T12:00:00.000Z",
  durationSeconds: 123.4,
  command: "npm run bench",
  results: [
    row({
      id: "broker-hot-path",
      metric: "p99 handler time",
      value: 1250,
      unit: "µs",
      target: "≤ 1 ms (1,000 µs)",
      met: false,
      gap: gapText("at-most", 1250, 1000, "µs"),
      note: "1,000 distinct callers",
    }),
    row({
      id: "broker-hot-path",
      metric: "token requests/s",
      value: 22_740,
      unit: "ops/s",
      target: "reported",
    }),
    row({ id: "cold-start", metric: "bundle size", value: 1, unit: "bytes", target: "≤ 1 MB", met: true }),
  ],
};

describe("renderGeneratedSection", () => {
  it("shows the machine, the command, the table, missed targets with their gap, and notes", () => {
    const section = renderGeneratedSection(report);
    expect(section.startsWith(DOC_START)).toBe(true);
    expect(section.endsWith(DOC_END)).toBe(true);
    expect(section).toContain("`npm run bench` on 2 × Test CPU, 8 GiB, Node v20.20.2, linux/x64");
    expect(section).toContain(
      "| broker-hot-path | p99 handler time | 1,250 µs | – | – | ≤ 1 ms (1,000 µs) | **no** |",
    );
    expect(section).toContain("| broker-hot-path | token requests/s | 22,740 ops/s | – | – | reported | – |");
    expect(section).toContain("- `broker-hot-path` p99 handler time: 250 µs over the target (25 %)");
    expect(section).toContain("- `broker-hot-path` p99 handler time: 1,000 distinct callers");
    expect(section).not.toContain("- `broker-hot-path` token requests/s:");
  });

  it("says so when every target with a verdict was met", () => {
    const section = renderGeneratedSection({ ...report, results: report.results.slice(1) });
    expect(section).not.toContain("Missed in this run");
    expect(section).toContain("All targets with a verdict were met in this run.");
  });
});

describe("replaceGeneratedSection", () => {
  it("replaces only the text between the markers", () => {
    const doc = `# Benchmarks\n\nIntro.\n\n${DOC_START}\nold table\n${DOC_END}\n\n## Hand-written\n`;
    const out = replaceGeneratedSection(doc, `${DOC_START}\nnew table\n${DOC_END}`);
    expect(out).toBe(`# Benchmarks\n\nIntro.\n\n${DOC_START}\nnew table\n${DOC_END}\n\n## Hand-written\n`);
  });

  it("appends the section when the document has no markers", () => {
    const out = replaceGeneratedSection("# Benchmarks\n\nIntro.\n", "SECTION");
    expect(out).toBe("# Benchmarks\n\nIntro.\n\nSECTION\n");
  });
});

describe("docs/BENCHMARKS.md", () => {
  const doc = readFileSync(fileURLToPath(new URL("../../docs/BENCHMARKS.md", import.meta.url)), "utf8");

  it("has exactly one generated section", () => {
    expect(doc.split(DOC_START)).toHaveLength(2);
    expect(doc.split(DOC_END)).toHaveLength(2);
    expect(doc.indexOf(DOC_START)).toBeLessThan(doc.indexOf(DOC_END));
  });

  it("lists the issuance simulation's assumptions exactly as the code has them", () => {
    expect(doc).toContain(assumptionsTable(DEFAULT_ASSUMPTIONS));
  });

  it("explains the retired 50,000 ops/s target and states the targets that replaced it", () => {
    expect(doc).toContain("## The retired 50,000 ops/s target");
    expect(doc).toContain("p99 handler time ≤ 1 ms with 1,000 distinct callers");
    expect(doc).toContain("handler import + runtime build, with the Lambda environment, ≤ 2 × `node -e 0`");
  });
});
