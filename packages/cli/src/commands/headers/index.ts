import type { Io } from "../../io.js";
import type { Logger } from "../../output/logger.js";
import { createCliTokenSource } from "../../tokenSource.js";
import type { HeadersOptions } from "./command.js";

/** `mcp-token headers`: prints `{"Authorization":"Bearer …"}` on stdout for Claude Code's headersHelper. */
export async function run(options: HeadersOptions, io: Io, log: Logger): Promise<number> {
  const source = await createCliTokenSource(options, io, log);
  const token = await source.getToken();
  log.debug(`token for profile ${options.profile} (${source.lastOutcome ?? "fetched"})`);
  io.stdout.write(`${JSON.stringify({ Authorization: `Bearer ${token}` })}\n`);
  return 0;
}
