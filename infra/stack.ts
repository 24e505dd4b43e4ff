/**
 * Everything one stage deploys, wired together: the Auth0 secret and the cache table (each fenced to
 * the broker's role by a resource policy), the broker, the invoke policy, and the MCP side chosen by
 * `mcpServer.mode` (none, an existing runtime, your image, or the demo server on AgentCore). `sst.config.ts` calls this after validating the stage, and the Pulumi-mocks test calls the
 * very same function, so what the test walks is what `sst deploy` creates.
 */

import { createBroker } from "./broker.js";
import { createCacheTable, fenceCacheTable } from "./cacheTable.js";
import { createInvokePolicy } from "./invokePolicy.js";
import { agentRuntimeInvocationUrl, authorizerConfigurationJson, runtimeRegion } from "./lib/agentcore.js";
import { webIdentityTokenPolicy } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";
import { createMcpServer } from "./mcpServer.js";
import { createIssuerSecrets, fenceIssuerSecrets } from "./secret.js";

export function deployStage(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  production: boolean;
  root: string;
}) {
  const { app, stage, production } = opts;
  const secrets = createIssuerSecrets({ app, stage, production });
  const table = createCacheTable({ production });
  const broker = createBroker({ app, stage, secrets, table });
  const brokerRoleArn = broker.nodes.role.arn;
  fenceIssuerSecrets({ secrets, brokerRoleArn });
  fenceCacheTable({ table, brokerRoleArn });
  const invokePolicy = createInvokePolicy({
    app,
    stage,
    functionArn: broker.arn,
    functionName: broker.name,
  });
  // AWS-native tokens: a policy to attach to the people and agents who may ask STS for them.
  const outbound = stage.awsOutboundIdentity;
  const webIdentityPolicy = outbound
    ? new aws.iam.Policy("WebIdentityTokenPolicy", {
        name: `${app.name}-${app.stage}-web-identity-token`,
        description:
          "Ask AWS STS for web identity tokens for this stage's MCP servers (attach to people and agents).",
        policy: JSON.stringify(webIdentityTokenPolicy(outbound)),
      })
    : undefined;
  const mode = stage.mcpServer.mode;
  const mcp =
    mode === "demo" || mode === "image"
      ? createMcpServer({ app, stage, production, root: opts.root })
      : undefined;
  // An existing runtime is not touched: the outputs say what its authorizer must be set to.
  const existing = mode === "existing" ? (stage.mcpServer.runtimeArn as string) : undefined;
  return {
    brokerUrl: broker.url,
    invokePolicyArn: invokePolicy.arn,
    // The primary issuer's secret (the Auth0 block's), and every issuer's by name.
    secretArn: (secrets.find((s) => s.issuer === "auth0") ?? secrets[0])?.arn,
    secretArns: $resolve(secrets.map((s) => s.arn)).apply((arns) =>
      Object.fromEntries(secrets.map((s, i) => [s.issuer, arns[i] as string])),
    ),
    cacheTable: table.name,
    tableArn: table.arn,
    mcpUrl: existing ? agentRuntimeInvocationUrl(runtimeRegion(existing), existing) : mcp?.url,
    runtimeArn: existing ?? mcp?.runtime.agentRuntimeArn,
    authorizerConfiguration: mode === "existing" ? authorizerConfigurationJson(stage) : undefined,
    webIdentityTokenPolicyArn: webIdentityPolicy?.arn,
  };
}
