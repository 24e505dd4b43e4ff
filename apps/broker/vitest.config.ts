import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// One directory per run collects every log line written by any test file (see test/support/logs.ts).
const logDir = process.env.BROKER_LOG_DIR ?? mkdtempSync(join(tmpdir(), "mcp-token-broker-logs-"));
if (!process.env.BROKER_LOG_DIR) process.env.BROKER_LOG_DIR_CREATED = logDir;

/** Runs test/logAudit.test.ts after every other file, so it sees the whole suite's output. */
class LogAuditLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isAudit = (f: TestSpecification) => f.moduleId.endsWith("logAudit.test.ts");
    return [...sorted.filter((f) => !isAudit(f)), ...sorted.filter(isAudit)];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/captureLogs.setup.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    env: { BROKER_LOG_DIR: logDir },
    // Files run one after another: the machine is shared, and the log audit must run last.
    fileParallelism: false,
    sequence: { sequencer: LogAuditLast },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
