import { describe, expect, it } from "vitest";
import { MARKERS, renderFigures, replaceBetweenMarkers } from "../../src/figures/render.js";
import type { ResultFile } from "../../src/figures/results.js";

const machine = { node: "v20.0.0", cpus: 2 };
const fault: ResultFile = {
  name: "fault-x",
  kind: "fault",
  command: "npm test -w @mcp-token/reliability -- test/fault/x.test.ts",
  generatedAt: "2026-11-26T00:00:00.000Z",
  machine,
  figures: {
    faults: [
      {
        fault: "issuer-down",
        description: "issuer resets connections",
        calls: 10,
        seen: { broker: { "200": 8, "503 upstream_unavailable": 2 } },
        failedWithValidCache: 0,
        recoveryMs: 40,
        survived: true,
      },
    ],
  },
};
const fuzz: ResultFile = {
  name: "fuzz-x",
  kind: "fuzz",
  command: "npm test -w @mcp-token/reliability -- test/fuzz/x.test.ts",
  generatedAt: "2026-11-26T00:00:00.000Z",
  machine,
  figures: { surface: "x", cases: 100, handled: 100, crashes: 0, serverErrors: 0, http: { cases: 5 } },
};

describe("renderFigures", () => {
  it("sums faults and fuzz cases into the summary and lists each with its reproduce command", () => {
    // Act
    const text = renderFigures([fault, fuzz]);

    // Assess
    expect(text).toContain("| Faults injected / survived | **1 / 1**");
    expect(text).toContain("**105 / 105**");
    expect(text).toContain("broker: 200 ×8, 503 upstream_unavailable ×2");
    expect(text).toContain("`npm test -w @mcp-token/reliability -- test/fault/x.test.ts`");
  });
});

describe("replaceBetweenMarkers", () => {
  it("replaces only the generated block", () => {
    const doc = `# T\n\nintro\n\n${MARKERS.begin}\nold\n${MARKERS.end}\n\nrest\n`;
    const out = replaceBetweenMarkers(doc, "new");
    expect(out).toBe(`# T\n\nintro\n\n${MARKERS.begin}\n\nnew\n\n${MARKERS.end}\n\nrest\n`);
    expect(replaceBetweenMarkers(out, "new")).toBe(out);
  });

  it("refuses a document without markers", () => {
    expect(() => replaceBetweenMarkers("# T\n", "x")).toThrow(/lacks the markers/);
  });
});
