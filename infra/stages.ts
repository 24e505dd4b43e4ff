/**
 * Stage configuration: the one place to edit before `npx sst deploy --stage <name>` (docs/DEPLOY.md).
 *
 * `satisfies` type-checks each entry in the editor and in CI; `loadStage` validates it again at
 * `sst deploy` time with the schema in `lib/stageConfig.ts`, which reports the full path of any
 * mistake (`stages.prod.broker.profiles.default.allow[0]: …`) before anything is created.
 *
 * The values below are examples (account 123456789012 cannot be deployed to: `accountId` pins the
 * AWS account and SST refuses any other). Replace them with your own.
 */
import { type StageConfig, type StageConfigInput, selectStage } from "./lib/stageConfig.js";

/** Stages that keep their data on `sst remove` and cannot be removed without unprotecting them. */
export const PRODUCTION_STAGES: readonly string[] = ["prod", "production"];

export const STAGES = {
  /** A sandbox account: everything is removed with `sst remove --stage dev`. */
  dev: {
    region: "us-west-2",
    accountId: "123456789012",
    auth0: {
      domain: "example-dev.us.auth0.com",
      audience: "https://mcp.dev.example.com/",
      clientId: "REPLACE_WITH_M2M_CLIENT_ID",
      tokenProfile: "rfc9068",
    },
    broker: {
      profiles: {
        default: {
          allow: [
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_*/*",
            "arn:aws:iam::123456789012:role/mcp-agent",
          ],
        },
      },
    },
  },
  /** Production: retained on `sst remove`, protected, with a concurrency cap. */
  prod: {
    region: "us-west-2",
    accountId: "123456789012",
    auth0: {
      domain: "example.us.auth0.com",
      audience: "https://mcp.example.com/",
      clientId: "REPLACE_WITH_M2M_CLIENT_ID",
      tokenProfile: "rfc9068",
    },
    broker: {
      reservedConcurrency: 20,
      profiles: {
        default: {
          allow: [
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_*/*",
            "arn:aws:iam::123456789012:role/mcp-agent",
          ],
          minTtlSeconds: 300,
        },
      },
    },
    invoke: { crossAccountPrincipals: [] },
    mcpServer: { containerAuth: "agentcore" },
  },
} satisfies Record<string, StageConfigInput>;

/**
 * The validated configuration of `stageName`.
 *
 * @throws ConfigError (from `@mcp-token/core`) naming the stage and field at fault.
 */
export function loadStage(stageName: string): StageConfig {
  return selectStage(STAGES, stageName);
}

/** Whether `stageName` is a production stage (retain on remove, protected). */
export function isProductionStage(stageName: string): boolean {
  return PRODUCTION_STAGES.includes(stageName);
}
