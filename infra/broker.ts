/**
 * The token broker: `sst.aws.Function` from apps/broker behind a Function URL with `AWS_IAM` auth.
 * Settings and permissions come from the pure builders in `lib/` (tested there); this module only
 * wires in the secret and the table.
 */
import { BROKER_ENV, brokerConfigJson } from "./lib/brokerConfig.js";
import { brokerFunctionSettings } from "./lib/brokerFunction.js";
import { brokerPermissions } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";

export function createBroker(opts: {
  stage: StageConfig;
  secretArn: $util.Output<string>;
  table: aws.dynamodb.Table;
}): sst.aws.Function {
  const { stage, secretArn, table } = opts;
  return new sst.aws.Function("Broker", {
    ...brokerFunctionSettings(stage),
    environment: {
      [BROKER_ENV.config]: secretArn.apply((arn) => brokerConfigJson(stage, arn)),
      [BROKER_ENV.cacheTable]: table.name,
    },
    permissions: $resolve([secretArn, table.arn]).apply(([secret, tableArn]) =>
      brokerPermissions({
        secretArn: secret,
        tableArn,
        region: stage.region,
        kmsKeyArn: stage.secret.kmsKeyArn,
      }),
    ),
  });
}
