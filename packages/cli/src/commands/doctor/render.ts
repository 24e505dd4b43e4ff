import type { CheckResult } from "./checks.js";

const MARK: Record<CheckResult["status"], string> = { pass: "✓", fail: "✗", warn: "!", skip: "-" };

/** One check as text: `✓ Title: detail`, plus `  → fix` for failures and warnings. */
export function renderCheck(result: CheckResult): string {
  const line = `${MARK[result.status]} ${result.title}: ${result.detail}\n`;
  return result.fix && (result.status === "fail" || result.status === "warn")
    ? `${line}    → ${result.fix}\n`
    : line;
}

/** The closing line. */
export function renderSummary(results: CheckResult[]): string {
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  if (failed === 0)
    return `\nAll checks passed${warned ? ` (${warned} warning${warned === 1 ? "" : "s"})` : ""}.\n`;
  return `\n${failed} check${failed === 1 ? "" : "s"} failed.\n`;
}
