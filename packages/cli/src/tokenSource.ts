// Imported (statically) by the commands that need a token, which main loads lazily. Only the
// token sources, the disk cache and the identity hint load here: the broker client with its zod
// schemas, the SigV4 signer and the AWS SDK (credentials, STS) load inside a source on a cache miss only.
import {
  createStsTokenSource,
  createTokenSource,
  type StsTokenSource,
  type TokenSource,
} from "@mcp-token/client";
import { awsIdentityHint, createDiskCache, defaultCacheDir } from "@mcp-token/client/node";
import type { Io } from "./io.js";
import type { BrokerOptions } from "./options/broker.js";
import type { Logger } from "./output/logger.js";
import { CLI_USER_AGENT } from "./version.js";

/** The token source of a command: the broker's (`kind: "broker"`) or STS's (`kind: "sts"`). */
export type CliTokenSource = (TokenSource & { kind: "broker" }) | (StsTokenSource & { kind: "sts" });

/**
 * The token source behind every command: the client library configured from the CLI options, with
 * the disk cache (unless `--no-cache`) keyed by a cheap AWS identity fingerprint so a warm cache
 * answers without loading the AWS SDK.
 */
export async function createCliTokenSource(
  options: BrokerOptions,
  io: Io,
  log: Logger,
): Promise<CliTokenSource> {
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
  const onBackgroundError = (error: unknown) =>
    log.warn(`background token refresh failed: ${(error as Error).message ?? String(error)}`);
  if (options.source === "sts") {
    const source = createStsTokenSource({
      audience: options.audiences,
      minTtlSeconds: options.minTtlSeconds,
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.stsEndpoint !== undefined ? { endpoint: options.stsEndpoint } : {}),
      ...(options.awsProfile !== undefined ? { awsProfile: options.awsProfile } : {}),
      ...persistent,
      onBackgroundError,
    });
    return Object.assign(source, { kind: "sts" as const });
  }
  const source = createTokenSource({
    brokerUrl: options.brokerUrl,
    profile: options.profile,
    scopes: options.scopes,
    minTtlSeconds: options.minTtlSeconds,
    userAgent: CLI_USER_AGENT,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.awsProfile !== undefined ? { awsProfile: options.awsProfile } : {}),
    ...persistent,
    onBackgroundError,
  });
  return Object.assign(source, { kind: "broker" as const });
}
