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
 * - **reserved concurrency (optional)**: caps instances, and so the load a misbehaving client can put
 *   on Auth0's rate limit; unset, the function uses the account's unreserved pool.
 */
import type { StageConfig } from "./stageConfig.js";

/** Path (from the repository root) of the broker's Lambda handler. */
export const BROKER_HANDLER = "apps/broker/src/handler.handler";

/** Static `sst.aws.Function` arguments of the broker. */
export interface BrokerFunctionSettings {
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
    handler: BROKER_HANDLER,
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
