// Imported (statically) by the commands that need a token, which main loads lazily. Only the
// token source, the disk cache and the identity hint load here: the broker client with its zod
// schemas, the SigV4 signer and the AWS SDK load inside the token source on a cache miss only.
import { createTokenSource, type TokenSource } from "@mcp-token/client";
import { awsIdentityHint, createDiskCache, defaultCacheDir } from "@mcp-token/client/node";
import type { Io } from "./io.js";
import type { BrokerOptions } from "./options/broker.js";
import type { Logger } from "./output/logger.js";
import { CLI_USER_AGENT } from "./version.js";

/**
 * The token source behind every command: the client library configured from the CLI options, with
 * the disk cache (unless `--no-cache`) keyed by a cheap AWS identity fingerprint so a warm cache
 * answers without loading the AWS SDK.
 */
export async function createCliTokenSource(
  options: BrokerOptions,
  io: Io,
  log: Logger,
): Promise<TokenSource> {
  let persistent: Pick<Parameters<typeof createTokenSource>[0], "cache" | "identity"> = {};
  if (options.cache) {
    persistent = {
      cache: createDiskCache({ dir: defaultCacheDir(io.env), onWarning: (m) => log.warn(m) }),
      identity: () =>
        awsIdentityHint({
          env: io.env,
          ...(options.awsProfile !== undefined ? { awsProfile: options.awsProfile } : {}),
        }),
    };
  }
  return createTokenSource({
    brokerUrl: options.brokerUrl,
    profile: options.profile,
    scopes: options.scopes,
    minTtlSeconds: options.minTtlSeconds,
    userAgent: CLI_USER_AGENT,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.awsProfile !== undefined ? { awsProfile: options.awsProfile } : {}),
    ...persistent,
    onBackgroundError: (error) =>
      log.warn(`background token refresh failed: ${(error as Error).message ?? String(error)}`),
  });
}
