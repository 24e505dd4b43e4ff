import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// One directory per run collects every captured log line and every sensitive value of every file
// (src/audit); test/hygiene/zz-logAudit.test.ts scans it at the end.
const runDir = process.env.RELIABILITY_RUN_DIR ?? mkdtempSync(join(tmpdir(), "mcp-token-reliability-"));
if (!process.env.RELIABILITY_RUN_DIR) process.env.RELIABILITY_RUN_DIR_CREATED = runDir;

/** Runs the run-wide log audit after every other file. */
class LogAuditLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification) => f.moduleId.endsWith("zz-logAudit.test.ts");
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}

export default defineConfig({
  // @mcp-token/client from its sources, like core (the "@mcp-token/source" export
  // condition), with vitest's default conditions (vite's without "module").
  ssr: {
    resolve: { conditions: ["@mcp-token/source", ...defaultServerConditions.filter((c) => c !== "module")] },
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/captureStdio.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    env: { RELIABILITY_RUN_DIR: runDir },
    // One file at a time: the suites measure time and memory, and the CI machine has 2 cores.
    fileParallelism: false,
    sequence: { sequencer: LogAuditLast },
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
