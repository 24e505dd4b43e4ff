/**
 * What an STS web identity token must say for an MCP server to accept it: the requested audience, and
 * the caller in `sub` / `https://sts.amazonaws.com/` `principal_id` (what the server's tools will see).
 */
import type { CheckResult, DoctorState } from "./checks.js";

/** Checks the STS token's audience and shows the principal it names; none without a token summary. */
export function checkStsClaims(state: DoctorState, audiences: readonly string[]): CheckResult[] {
  const s = state.summary;
  if (!s) return [];
  const missing = audiences.filter((a) => !s.audience.includes(a));
  const results: CheckResult[] = [
    missing.length === 0
      ? { id: "audience", title: "Audience", status: "pass", detail: `includes ${audiences.join(" ")}` }
      : {
          id: "audience",
          title: "Audience",
          status: "fail",
          detail: `token audience ${s.audience.join(" ") || "none"} lacks ${missing.join(" ")}`,
          fix: "STS copies the requested audience into aud; check --audience",
        },
  ];
  const principal = s.aws?.principalId ?? s.subject;
  results.push(
    principal
      ? {
          id: "principal",
          title: "Caller in the token",
          status: "pass",
          detail: `sub ${s.subject ?? "?"}, principal_id ${s.aws?.principalId ?? "?"}, account ${s.aws?.account ?? "?"}: what the MCP server sees`,
        }
      : {
          id: "principal",
          title: "Caller in the token",
          status: "warn",
          detail: "the token names no principal (no sub, no https://sts.amazonaws.com/ principal_id)",
        },
  );
  return results;
}
