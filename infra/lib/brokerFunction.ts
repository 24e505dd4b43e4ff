/**
 * The broker's `sst.aws.Function` settings, as plain data so tests can assert them and
 * `infra/broker.ts` only adds the resource references (secret, table).
 *
 * Sizing, with the broker's own defaults (apps/broker/src/env.ts) in mind:
 * - **memory 512 MB**: Lambda CPU scales with memory; the cold start (AWS SDK clients, zod, jose) and
 *   the TLS handshake to Auth0 run noticeably faster than at 128–256 MB, while a warm token request is
 *   a cache lookup. Invocations are rare (clients cache tokens for most of their lifetime), so the
 *   GB-second cost stays in cents per month.
 * - **timeout 15 s**: an issuance may take the broker's whole upstream deadline (8 s across retries),
 *   plus a Secrets Manager read and a DynamoDB lease wait; 15 s leaves room for those and a cold start
 *   and still fails fast enough for an interactive `mcp-token` caller.
 * - **reserved concurrency (off by default)**: caps instances, and so the load a misbehaving client can
 *   put on Auth0's rate limit. Opt in per stage: reserving N takes N from the account's unreserved pool,
 *   and Lambda refuses to leave fewer than 100 unreserved, so on a new account whose concurrency quota
 *   is 10 any reservation fails ("decreases account's UnreservedConcurrentExecution below its minimum
 *   value"). Unset, the function uses the account's unreserved pool.
 * - **code**: the prebuilt bundle (`brokerBundle.ts`), the very artifact the tests ran.
 */
import { BROKER_BUNDLE_DIR, BROKER_BUNDLE_HANDLER } from "./brokerBundle.js";
import type { StageConfig } from "./stageConfig.js";

/** Static `sst.aws.Function` arguments of the broker. */
export interface BrokerFunctionSettings {
  /** Prebuilt code directory (SST skips its own esbuild). */
  bundle: string;
  /** Handler inside `bundle`. */
  handler: string;
  description: string;
  runtime: "nodejs22.x";
  architecture: "arm64";
  memory: `${number} MB`;
  timeout: `${number} seconds`;
  concurrency?: { reserved: number };
  url: { authorization: "iam"; cors: false };
  logging: { retention: "1 month"; format: "json" };
}

/** The broker function's settings for a stage. */
export function brokerFunctionSettings(stage: StageConfig): BrokerFunctionSettings {
  const settings: BrokerFunctionSettings = {
    bundle: BROKER_BUNDLE_DIR,
    handler: BROKER_BUNDLE_HANDLER,
    description: "mcp-token broker: short-lived Auth0 tokens for IAM principals",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memory: `${stage.broker.memoryMb} MB`,
    timeout: `${stage.broker.timeoutSeconds} seconds`,
    // IAM-signed calls only; no CORS: browsers never call the broker.
    url: { authorization: "iam", cors: false },
    logging: { retention: "1 month", format: "json" },
  };
  if (stage.broker.reservedConcurrency !== undefined) {
    settings.concurrency = { reserved: stage.broker.reservedConcurrency };
  }
  return settings;
}
