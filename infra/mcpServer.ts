/**
 * The MCP server on Amazon Bedrock AgentCore Runtime: an ECR repository, the arm64 image built from
 * apps/mcp-server/Dockerfile and pushed there, an execution role that may only pull that image and
 * write the runtime's logs, and the runtime itself with the MCP protocol and the custom JWT authorizer.
 */
import path from "node:path";
import {
  agentRuntimeInvocationUrl,
  agentRuntimeName,
  customJwtAuthorizer,
  MCP_SERVER_DOCKERFILE,
  mcpServerEnvironment,
  pulumiCustomClaim,
  requestHeaderAllowlist,
} from "./lib/agentcore.js";
import { agentRuntimeExecutionPolicy, agentRuntimeTrustPolicy } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";

export interface McpServer {
  runtime: aws.bedrock.AgentcoreAgentRuntime;
  repository: aws.ecr.Repository;
  role: aws.iam.Role;
  /** The invocation URL MCP clients call with `Authorization: Bearer <token>`. */
  url: $util.Output<string>;
}

export function createMcpServer(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  production: boolean;
  /** Absolute path of the repository root (`$cli.paths.root`). */
  root: string;
}): McpServer {
  const { app, stage } = opts;
  const runtimeName = agentRuntimeName(app.name, app.stage);
  const partition = aws.getPartitionOutput().partition;
  const accountId = aws.getCallerIdentityOutput().accountId;

  const repository = new aws.ecr.Repository("McpServerRepository", {
    name: `${app.name}-${app.stage}-mcp-server`.toLowerCase(),
    imageTagMutability: "MUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    // Non-production stages can be removed with their images; production keeps them.
    forceDelete: !opts.production,
  });
  new aws.ecr.LifecyclePolicy("McpServerRepositoryLifecycle", {
    repository: repository.name,
    policy: JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: "Keep the 10 most recent images",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
          action: { type: "expire" },
        },
      ],
    }),
  });

  const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId });
  const image = new dockerbuild.Image("McpServerImage", {
    context: { location: opts.root },
    dockerfile: { location: path.join(opts.root, MCP_SERVER_DOCKERFILE) },
    // AgentCore runs ARM64 containers only.
    platforms: ["linux/arm64"],
    push: true,
    tags: [$interpolate`${repository.repositoryUrl}:latest`],
    registries: [
      {
        address: repository.repositoryUrl,
        username: auth.userName,
        password: $util.secret(auth.password),
      },
    ],
  });

  const role = new aws.iam.Role("McpServerRuntimeRole", {
    description: "AgentCore Runtime execution role of the mcp-token MCP server",
    assumeRolePolicy: $resolve([partition, accountId]).apply(([p, account]) =>
      JSON.stringify(
        agentRuntimeTrustPolicy({ partition: p, region: stage.region, accountId: account, runtimeName }),
      ),
    ),
  });
  const rolePolicy = new aws.iam.RolePolicy("McpServerRuntimePolicy", {
    role: role.id,
    policy: $resolve([partition, accountId, repository.arn]).apply(([p, account, repositoryArn]) =>
      JSON.stringify(
        agentRuntimeExecutionPolicy({
          partition: p,
          region: stage.region,
          accountId: account,
          runtimeName,
          repositoryArn,
        }),
      ),
    ),
  });

  const authorizer = customJwtAuthorizer(stage);
  const headers = requestHeaderAllowlist(stage);
  const runtime = new aws.bedrock.AgentcoreAgentRuntime(
    "McpServerRuntime",
    {
      agentRuntimeName: runtimeName,
      description: "mcp-token MCP server (Streamable HTTP, stateless)",
      roleArn: role.arn,
      agentRuntimeArtifact: {
        // By digest, so every new image updates the runtime.
        containerConfiguration: { containerUri: $interpolate`${repository.repositoryUrl}@${image.digest}` },
      },
      networkConfiguration: { networkMode: "PUBLIC" },
      protocolConfiguration: { serverProtocol: "MCP" },
      authorizerConfiguration: {
        customJwtAuthorizer: {
          discoveryUrl: authorizer.discoveryUrl,
          allowedAudiences: authorizer.allowedAudiences.length > 0 ? authorizer.allowedAudiences : undefined,
          allowedClients: authorizer.allowedClients.length > 0 ? authorizer.allowedClients : undefined,
          allowedScopes: authorizer.allowedScopes.length > 0 ? authorizer.allowedScopes : undefined,
          customClaims:
            authorizer.customClaims.length > 0 ? authorizer.customClaims.map(pulumiCustomClaim) : undefined,
        },
      },
      environmentVariables: mcpServerEnvironment(stage),
      requestHeaderConfiguration: headers.length > 0 ? { requestHeaderAllowlists: headers } : undefined,
    },
    // The role must be able to pull the image before AgentCore validates the runtime.
    { dependsOn: [rolePolicy] },
  );

  return {
    runtime,
    repository,
    role,
    url: runtime.agentRuntimeArn.apply((arn) => agentRuntimeInvocationUrl(stage.region, arn)),
  };
}
