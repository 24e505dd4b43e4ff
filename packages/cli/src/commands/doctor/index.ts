import type { Io } from "../../io.js";
import { mcpTargetUrl } from "../../options/mcpTarget.js";
import type { Logger } from "../../output/logger.js";
import { type CliTokenSource, createCliTokenSource } from "../../tokenSource.js";
import {
  type CheckResult,
  checkClaims,
  checkCredentials,
  checkPitfalls,
  checkProfile,
  checkToken,
  checkWhoami,
  type DoctorState,
} from "./checks.js";
import type { DoctorOptions } from "./command.js";
import { checkIdentity } from "./identityCheck.js";
import { checkMcpServer } from "./mcpCheck.js";
import { renderCheck, renderSummary } from "./render.js";
import { checkStsClaims } from "./stsChecks.js";

/** `mcp-token doctor`: runs the checks in order, printing each as it completes; 1 if any failed. */
export async function run(options: DoctorOptions, io: Io, log: Logger): Promise<number> {
  const source = await createCliTokenSource({ ...options, cache: false }, io, log);
  const state: DoctorState = {};
  const results: CheckResult[] = [];
  const add = (result: CheckResult) => {
    results.push(result);
    if (!options.json) io.stdout.write(renderCheck(result));
  };
  const skip = (id: string, title: string, because: string) =>
    add({ id, title, status: "skip", detail: `skipped (${because})` });

  add(sourceCheck(source));
  const credentials = await checkCredentials(
    source.kind === "sts" ? source.credentials : source.broker.credentials,
    options.awsProfile,
  );
  add(credentials);
  if (source.kind === "broker") {
    if (credentials.status !== "pass") {
      skip("whoami", "Broker reachable", "no AWS credentials");
    } else {
      const whoami = await checkWhoami(source, state);
      add(whoami);
      if (whoami.status !== "pass")
        skip("profile", `Authorised for profile "${source.profile}"`, "broker not reachable");
      else add(await checkProfile(source, state));
    }
  }
  const token = results.every((r) => r.status === "pass") ? await checkToken(source, state) : undefined;
  if (token) add(token);
  else skip("token", "Token issued", "an earlier check failed");
  if (token?.status === "pass") {
    add(await checkClaims(state));
    if (source.kind === "broker") {
      for (const result of checkPitfalls(state)) add(result);
      const identity = checkIdentity(state);
      if (identity) add(identity);
    } else {
      for (const result of checkStsClaims(state, source.sts.audiences)) add(result);
    }
  }
  if (options.target) {
    const url = await mcpTargetUrl(options.target);
    if (token?.status === "pass") add(await checkMcpServer(url, source, log, state.summary));
    else skip("mcp", "MCP server accepts the token", "no token");
  }
  const failed = results.some((r) => r.status === "fail");
  if (options.json) io.stdout.write(`${JSON.stringify({ ok: !failed, checks: results })}\n`);
  else io.stdout.write(renderSummary(results));
  return failed ? 1 : 0;
}

/** Which source the doctor checks: the broker's Function URL and profile, or STS. */
function sourceCheck(source: CliTokenSource): CheckResult {
  const detail =
    source.kind === "sts"
      ? `AWS STS GetWebIdentityToken in ${source.sts.region}${source.sts.endpoint ? ` (endpoint ${source.sts.endpoint})` : ""}, audience ${source.sts.audiences.join(" ")}: IAM outbound identity federation, no broker`
      : `mcp-token broker ${source.broker.url}, profile ${source.profile}`;
  return { id: "source", title: "Token source", status: "pass", detail };
}
