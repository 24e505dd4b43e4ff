/// <reference path="./.sst/platform/config.d.ts" />
/**
 * mcp-token on AWS (SST v4): the token broker, its Auth0 secret, the shared token cache, the invoke
 * policy, and the MCP server on AgentCore Runtime. Resources live in infra/*.ts; the per-stage values in
 * infra/stages.ts. Walkthrough: docs/DEPLOY.md. Offline check: `npm run typecheck -w @mcp-token/infra`.
 */
export default $config({
  async app(input) {
    const { isProductionStage, stageTarget } = await import("./infra/stages");
    const production = isProductionStage(input.stage);
    // Region and account only; run() validates the whole stage (errors thrown here are hidden by SST).
    const target = stageTarget(input.stage);
    return {
      name: "mcp-token",
      home: "aws",
      // Production ("prod"/"production") keeps its secret and table on `sst remove` and refuses removal
      // until unprotected; every other stage is removed completely.
      removal: production ? "retain" : "remove",
      protect: production,
      providers: {
        aws: {
          version: "7.48.0",
          // The stage's account is the only one SST may deploy it to.
          ...(target ? { region: target.region as aws.Region, allowedAccountIds: [target.accountId] } : {}),
        },
        "docker-build": "0.0.14",
      },
      // No generated sst-env.d.ts in the workspaces: they read their configuration from plain env vars.
      types: { ignore: ["apps", "packages", "infra", "bench", "scripts", "docs"] },
    };
  },
  async run() {
    const [stages, brokerConfig, stackModule] = await Promise.all([
      import("./infra/stages"),
      import("./infra/lib/brokerConfig"),
      import("./infra/stack"),
    ]);
    const app = { name: $app.name, stage: $app.stage };
    const production = stages.isProductionStage($app.stage);
    // Validate the stage, and that the broker will accept the configuration built from it, before
    // creating anything: a typo fails here with the path of the field.
    let stage: ReturnType<typeof stages.loadStage>;
    try {
      stage = stages.loadStage($app.stage);
      brokerConfig.checkBrokerConfig(stage, app);
    } catch (error) {
      throw stages.visibleConfigError(error);
    }
    // Lambda runs the bundle the tests and benchmarks ran: build it now, deploy that directory.
    const { buildBrokerBundle, repositoryRoot } = await import("./infra/lib/brokerBundle");
    const root = repositoryRoot();
    buildBrokerBundle(root);
    const { tableArn: _tableArn, ...outputs } = stackModule.deployStage({ app, stage, production, root });
    return outputs;
  },
});
