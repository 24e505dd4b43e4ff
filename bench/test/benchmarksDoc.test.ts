import { describe, expect, it } from "vitest";
import { DOC_END, DOC_START, renderGeneratedSection, replaceGeneratedSection } from "../src/benchmarksDoc.js";
import { type BenchReport, row } from "../src/report.js";

const report: BenchReport = {
  machine: { cpus: 2, cpuModel: "Test CPU", memoryGiB: 8, node: "v20.20.2", platform: "linux", arch: "x64" },
  startedAt: "2026-11-26T12:00:00.000Z",
  durationSeconds: 123.4,
  command: "npm run bench",
  results: [
    row({
      id: "broker-hot-path",
      metric: "ops/s",
      value: 30_000,
      unit: "ops/s",
      target: "≥ 50,000 ops/s",
      met: false,
      gap: "20,000 ops/s short of the target (40 %)",
      note: "2 rounds",
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
    expect(section).toContain("| broker-hot-path | ops/s | 30,000 ops/s |");
    expect(section).toContain("- `broker-hot-path` ops/s: 20,000 ops/s short of the target (40 %)");
    expect(section).toContain("- `broker-hot-path` ops/s: 2 rounds");
  });

  it("says so when every target with a verdict was met", () => {
    const section = renderGeneratedSection({ ...report, results: report.results.slice(1) });
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
