import type { Io } from "../../io.js";
import type { Logger } from "../../output/logger.js";
import { createCliTokenSource } from "../../tokenSource.js";
import type { GetOptions } from "./command.js";

/** `mcp-token get`: prints the token (or JSON with its expiry) on stdout. */
export async function run(options: GetOptions, io: Io, log: Logger): Promise<number> {
  const source = await createCliTokenSource(options, io, log);
  const response = await source.getTokenResponse();
  log.debug(
    `token for profile ${response.profile} (${source.lastOutcome ?? "fetched"}), expires ${response.expires_at}`,
  );
  if (!options.json) {
    io.stdout.write(`${response.access_token}\n`);
    return 0;
  }
  const expiresIn = Math.max(0, Math.floor((Date.parse(response.expires_at) - Date.now()) / 1000));
  const out = {
    access_token: response.access_token,
    token_type: response.token_type,
    expires_at: response.expires_at,
    expires_in: expiresIn,
    scope: response.scope,
    profile: response.profile,
  };
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}
