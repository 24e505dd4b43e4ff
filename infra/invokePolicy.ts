/**
 * Who may call the broker: a customer managed policy (`invokePolicyArn`) to attach to SSO permission
 * sets and agent roles in this account, and optional resource-based permissions for other accounts.
 * Its name is fixed per stage (`mcp-token-<stage>-broker-invoke`) because IAM Identity Center
 * permission sets reference customer managed policies by name.
 */
import { brokerInvokePolicy, crossAccountInvokePermissions } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";

export function createInvokePolicy(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  functionArn: $util.Input<string>;
  functionName: $util.Input<string>;
}): aws.iam.Policy {
  const policy = new aws.iam.Policy("BrokerInvokePolicy", {
    name: `${opts.app.name}-${opts.app.stage}-broker-invoke`,
    description: "Call the mcp-token broker through its IAM Function URL (attach to people and agents).",
    policy: $util.output(opts.functionArn).apply((arn) => JSON.stringify(brokerInvokePolicy(arn))),
  });
  for (const permission of crossAccountInvokePermissions(opts.stage.invoke.crossAccountPrincipals)) {
    new aws.lambda.Permission(`Broker${permission.name}`, {
      function: opts.functionName,
      action: permission.action,
      principal: permission.principal,
      functionUrlAuthType: permission.functionUrlAuthType,
      invokedViaFunctionUrl: permission.invokedViaFunctionUrl,
    });
  }
  return policy;
}
