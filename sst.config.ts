/// <reference path="./.sst/platform/config.d.ts" />
/**
 * mcp-token on AWS (SST v4): the token broker, its Auth0 secret, the shared token cache, the invoke
 * policy, and the MCP server on AgentCore Runtime. Resources live in infra/*.ts; the per-stage values in
 * infra/stages.ts. Walkthrough: docs/DEPLOY.md. Offline check: `npm run typecheck -w @mcp-token/infra`.
 */
export default $config({
  async app(input) {
    // Validates the stage's configuration before anything else: a typo fails here, naming the field.
    const { isProductionStage, loadStage } = await import("./infra/stages");
    const stage = loadStage(input.stage);
    const production = isProductionStage(input.stage);
    return {
      name: "mcp-token",
      home: "aws",
      // Production ("prod"/"production") keeps its secret, table and repository on `sst remove` and
      // refuses removal until unprotected; every other stage is removed completely.
      removal: production ? "retain" : "remove",
      protect: production,
      providers: {
        aws: { version: "7.20.0", region: stage.region as aws.Region, allowedAccountIds: [stage.accountId] },
        "docker-build": "0.0.14",
      },
      // No generated sst-env.d.ts in the workspaces: they read their configuration from plain env vars.
      types: { ignore: ["apps", "packages", "infra", "bench", "scripts", "docs"] },
    };
  },
  async run() {
    const [stages, brokerConfig, secretModule, tableModule, brokerModule, invokeModule, mcpModule] =
      await Promise.all([
        import("./infra/stages"),
        import("./infra/lib/brokerConfig"),
        import("./infra/secret"),
        import("./infra/cacheTable"),
        import("./infra/broker"),
        import("./infra/invokePolicy"),
        import("./infra/mcpServer"),
      ]);
    const app = { name: $app.name, stage: $app.stage };
    const stage = stages.loadStage($app.stage);
    const production = stages.isProductionStage($app.stage);
    // Fail before creating anything if the broker would reject its configuration at cold start.
    brokerConfig.checkBrokerConfig(stage, app);

    const secret = secretModule.createAuth0Secret({ app, stage, production });
    const table = tableModule.createCacheTable({ production });
    const broker = brokerModule.createBroker({ stage, secretArn: secret.arn, table });
    const invokePolicy = invokeModule.createInvokePolicy({
      app,
      stage,
      functionArn: broker.arn,
      functionName: broker.name,
    });
    const mcp = stage.mcpServer.enabled
      ? mcpModule.createMcpServer({ app, stage, production, root: $cli.paths.root })
      : undefined;

    return {
      brokerUrl: broker.url,
      invokePolicyArn: invokePolicy.arn,
      secretArn: secret.arn,
      cacheTable: table.name,
      mcpUrl: mcp?.url,
      runtimeArn: mcp?.runtime.agentRuntimeArn,
    };
  },
});
