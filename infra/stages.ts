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
      // reservedConcurrency: 20,   // opt in only where the account's concurrency quota allows (DEPLOY.md)
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

/**
 * Region and account of a stage for SST's `app()`, read leniently (no validation, `undefined` for an
 * unknown stage): the SST CLI hides errors thrown in `app()` behind "Unexpected error occurred", so the
 * full validation runs in `run()` (see {@link loadStage}), where its message is shown.
 */
export function stageTarget(stageName: string): { region: string; accountId: string } | undefined {
  const entry: unknown = Object.hasOwn(STAGES, stageName)
    ? STAGES[stageName as keyof typeof STAGES]
    : undefined;
  if (typeof entry !== "object" || entry === null) return undefined;
  const { region, accountId } = entry as { region?: unknown; accountId?: unknown };
  return typeof region === "string" && typeof accountId === "string" ? { region, accountId } : undefined;
}

/**
 * Re-throw a configuration error so the SST CLI shows just its message: the CLI prints errors named
 * `VisibleError` (its own error class) without a stack trace. Other errors pass through unchanged.
 */
export function visibleConfigError(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === "ERR_INVALID_CONFIG") {
    const visible = new Error(error.message, { cause: error });
    visible.name = "VisibleError";
    return visible;
  }
  return error;
}

/** Whether `stageName` is a production stage (retain on remove, protected). */
export function isProductionStage(stageName: string): boolean {
  return PRODUCTION_STAGES.includes(stageName);
}
