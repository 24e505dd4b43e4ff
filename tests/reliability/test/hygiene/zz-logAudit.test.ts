/**
 * The run-wide log audit, last in every run (see vitest.config.ts): every line any suite captured
 * (injected broker and MCP server loggers, child processes' stdout/stderr, CLI stderr, and each test
 * process's own stdout/stderr/console) is scanned for every sensitive value any suite registered
 * (issued tokens and their signature parts, client secrets, AWS secret keys and session tokens).
 * Values registered as a known gap (see docs/RELIABILITY.md) are counted apart.
 */
import { describe, expect, it } from "vitest";
import { scanRunDir } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";

describe("run-wide log audit", () => {
  it("finds no token, client secret or AWS secret in any captured log line", () => {
    const scan = scanRunDir();
    const unknown = scan.leaks.filter((l) => !l.knownGap);
    const known = scan.leaks.filter((l) => l.knownGap);
    // Only a full run gives the documented figures; a partial run (a few files) must not overwrite them.
    if (scan.files >= 10) {
      writeResult(
        "hygiene-log-audit",
        "hygiene",
        "test/hygiene/zz-logAudit.test.ts",
        {
          logFiles: scan.files,
          lines: scan.lines,
          megabytes: Math.round((scan.bytes / 1024 / 1024) * 10) / 10,
          sensitiveValues: scan.sensitiveValues,
          leaks: unknown.length,
          knownGapLeaks: known.length,
          knownGaps: [...new Set(known.map((l) => l.knownGap))],
        },
        "npm test -w @mcp-token/reliability",
      );
    }
    expect(scan.lines).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });
});
