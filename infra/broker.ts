/**
 * The token broker: `sst.aws.Function` from apps/broker behind a Function URL with `AWS_IAM` auth.
 * Settings and permissions come from the pure builders in `lib/` (tested there); this module only
 * wires in the secrets, the table and, for a configuration too large for the environment, its SSM
 * parameter.
 *
 * Where the configuration goes: the `MCP_TOKEN_BROKER_CONFIG` variable while it fits in Lambda's 4 KB
 * environment (no network, no extra permission). Beyond, an SSM parameter (`/<app>/<stage>/broker-config`,
 * Standard tier up to 4 KB, Advanced up to 8 KB) that the broker reads once at cold start, named by
 * `MCP_TOKEN_BROKER_CONFIG_PARAMETER` and pinned by `MCP_TOKEN_BROKER_CONFIG_SHA256`: anyone in the
 * account holding `ssm:PutParameter` could otherwise rewrite the allow lists, while the hash lives in the
 * function's environment, which only `lambda:UpdateFunctionConfiguration` changes, as before. Why not a
 * file in the bundle: the configuration holds the created secrets' ARNs, known only once they exist,
 * and the bundle is the tested artifact, which stays byte for byte what the tests ran.
 */
import { createHash } from "node:crypto";
import {
  BROKER_ENV,
  brokerConfigJson,
  brokerConfigPlacement,
  checkBrokerConfig,
} from "./lib/brokerConfig.js";
import { brokerFunctionSettings } from "./lib/brokerFunction.js";
import { brokerPermissions } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";
import type { IssuerSecret } from "./secret.js";

export function createBroker(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  secrets: readonly IssuerSecret[];
  table: aws.dynamodb.Table;
}): sst.aws.Function {
  const { stage, secrets, table } = opts;
  const arns = $resolve(secrets.map((s) => s.arn));
  const configJson = arns.apply((resolved) =>
    brokerConfigJson(stage, Object.fromEntries(secrets.map((s, i) => [s.issuer, resolved[i] as string]))),
  );
  // Decided before any resource exists, from stand-in ARNs as long as the real ones.
  const placement = brokerConfigPlacement(checkBrokerConfig(stage, opts.app));
  const parameter =
    placement.where === "ssm"
      ? new aws.ssm.Parameter("BrokerConfigParameter", {
          name: `/${opts.app.name}/${opts.app.stage}/broker-config`,
          description: "mcp-token broker configuration (too large for the Lambda environment)",
          type: "String",
          tier: placement.tier,
          value: configJson,
        })
      : undefined;
  const kmsKeyArns = secrets.flatMap((s) => (s.kmsKeyArn !== undefined ? [s.kmsKeyArn] : []));
  return new sst.aws.Function("Broker", {
    ...brokerFunctionSettings(stage),
    environment: {
      ...(parameter
        ? {
            [BROKER_ENV.configParameter]: parameter.name,
            [BROKER_ENV.configSha256]: configJson.apply((json) =>
              createHash("sha256").update(json).digest("hex"),
            ),
          }
        : { [BROKER_ENV.config]: configJson }),
      [BROKER_ENV.cacheTable]: table.name,
    },
    permissions: $resolve([arns, table.arn, parameter ? parameter.arn : ""]).apply((resolved) => {
      const [secretArns, tableArn, parameterArn] = resolved as [string[], string, string];
      return brokerPermissions({
        secretArns,
        tableArn,
        region: stage.region,
        kmsKeyArns,
        ...(parameterArn !== "" && { configParameterArn: parameterArn }),
      });
    }),
  });
}
