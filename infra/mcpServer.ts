/**
 * An MCP server on Amazon Bedrock AgentCore Runtime (`mcpServer.mode` `demo` or `image`): the container
 * image (built for arm64 from a Dockerfile and pushed to an ECR repository created here, or an image
 * already in ECR), an execution role that may only pull that image and write the runtime's logs, and
 * the runtime itself with the MCP protocol and the stage's custom JWT authorizer. `demo` builds this
 * repository's apps/mcp-server and configures it like the authorizer; `image` runs your container as is.
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
  /** The repository created for a built image (none for an image given by URI). */
  repository?: aws.ecr.Repository;
  role: aws.iam.Role;
  /** The invocation URL MCP clients call with `Authorization: Bearer <token>`. */
  url: $util.Output<string>;
}

export function createMcpServer(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  production: boolean;
  /** Absolute path of the repository root (`repositoryRoot()` in lib/brokerBundle.ts). */
  root: string;
}): McpServer {
  const { app, stage } = opts;
  const runtimeName = agentRuntimeName(app.name, app.stage);
  const partition = aws.getPartitionOutput().partition;
  const accountId = aws.getCallerIdentityOutput().accountId;

  const source = imageSource(stage, opts.root);
  const built = source.kind === "build" ? buildImage(app, opts.production, source) : undefined;
  const containerUri = built ? built.containerUri : $util.output(source.kind === "uri" ? source.uri : "");
  const repositoryArn = built
    ? built.repository.arn
    : $util.output(ecrRepositoryArn(source.kind === "uri" ? source.uri : ""));

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
    policy: $resolve([partition, accountId, repositoryArn]).apply(([p, account, repositoryArn]) =>
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
        // A built image by digest, so every new image updates the runtime.
        containerConfiguration: { containerUri },
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
      // The demo server is configured like the authorizer; your own image gets only what AgentCore's
      // MCP contract fixes (it serves on port 8000).
      environmentVariables: stage.mcpServer.mode === "demo" ? mcpServerEnvironment(stage) : { PORT: "8000" },
      requestHeaderConfiguration: headers.length > 0 ? { requestHeaderAllowlists: headers } : undefined,
    },
    // The role must be able to pull the image before AgentCore validates the runtime.
    { dependsOn: [rolePolicy] },
  );

  return {
    runtime,
    ...(built && { repository: built.repository }),
    role,
    url: runtime.agentRuntimeArn.apply((arn) => agentRuntimeInvocationUrl(stage.region, arn)),
  };
}

type ImageSource = { kind: "build"; context: string; dockerfile: string } | { kind: "uri"; uri: string };

/** Where the runtime's image comes from: this repository's server (demo), your Dockerfile, or your URI. */
function imageSource(stage: StageConfig, root: string): ImageSource {
  const image = stage.mcpServer.image;
  if (stage.mcpServer.mode === "image" && image !== undefined) {
    if ("uri" in image) return { kind: "uri", uri: image.uri };
    const dockerfile = path.resolve(root, image.dockerfile);
    return {
      kind: "build",
      dockerfile,
      context: path.resolve(root, image.context ?? path.dirname(image.dockerfile)),
    };
  }
  return { kind: "build", context: root, dockerfile: path.join(root, MCP_SERVER_DOCKERFILE) };
}

/** `arn:aws:ecr:<region>:<account>:repository/<name>` of an ECR image URI (for the pull permission). */
export function ecrRepositoryArn(uri: string): string {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/.exec(uri);
  if (!m) throw new TypeError(`not an ECR image URI: ${uri}`);
  return `arn:${m[3] ? "aws-cn" : "aws"}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`;
}

/** An ECR repository and the arm64 image built from `source` and pushed there. */
function buildImage(
  app: { name: string; stage: string },
  production: boolean,
  source: { context: string; dockerfile: string },
) {
  const opts = { production };
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
    context: { location: source.context },
    dockerfile: { location: source.dockerfile },
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

  return { repository, containerUri: $interpolate`${repository.repositoryUrl}@${image.digest}` };
}
