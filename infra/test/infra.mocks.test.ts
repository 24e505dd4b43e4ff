/**
 * The infra modules run against Pulumi mocks: what they would ask AWS to create, asserted exactly.
 * (The pure builders they use are tested on their own; this checks the wiring.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseStageConfig, type StageConfig } from "../lib/stageConfig.js";
import { deployStage } from "../stack.js";
import { stageInput } from "./fixtures.js";
import { ACCOUNT_ID, installPulumiMocks, type MockedPulumi, REGION } from "./support/pulumiMocks.js";

const APP = { name: "mcp-token", stage: "test" };
let mocks: MockedPulumi;
let stage: StageConfig;
let out: {
  secretArn: unknown;
  tableArn: unknown;
  policyArn: unknown;
  mcpUrl: unknown;
  runtimeArn: unknown;
};

beforeAll(async () => {
  mocks = installPulumiMocks();
  stage = parseStageConfig(
    "test",
    stageInput({
      region: REGION,
      accountId: ACCOUNT_ID,
      broker: {
        reservedConcurrency: 5,
        profiles: { default: { allow: [`arn:aws:iam::${ACCOUNT_ID}:role/mcp-agent`] } },
      },
      invoke: { crossAccountPrincipals: ["444455556666"] },
      mcpServer: {
        allowedScopes: ["invoke"],
        customClaims: [
          {
            inboundTokenClaimName: "groups",
            inboundTokenClaimValueType: "STRING_ARRAY",
            authorizingClaimMatchValue: {
              claimMatchOperator: "CONTAINS_ANY",
              claimMatchValue: { matchValueStringList: ["mcp-users"] },
            },
          },
        ],
      },
    }),
  );
  const deployed = deployStage({ app: APP, stage, production: false, root: "/repo" });
  out = {
    secretArn: await mocks.resolve(deployed.secretArn),
    tableArn: await mocks.resolve(deployed.tableArn),
    policyArn: await mocks.resolve(deployed.invokePolicyArn),
    mcpUrl: await mocks.resolve(deployed.mcpUrl),
    runtimeArn: await mocks.resolve(deployed.runtimeArn),
  };
});

describe("secret", () => {
  it("creates an empty secret: no secret version, so no value in state", async () => {
    const [secret] = await mocks.ofType("aws:secretsmanager/secret:Secret");
    expect(secret?.inputs).toMatchObject({
      namePrefix: "mcp-token/test/auth0-m2m-",
      recoveryWindowInDays: 0,
    });
    expect(mocks.resources.filter((r) => r.type.startsWith("aws:secretsmanager/secretVersion"))).toEqual([]);
    expect(JSON.stringify(secret?.inputs)).not.toMatch(/secretString|client_secret"\s*:/);
  });
});

describe("shared cache table", () => {
  it("is on demand with TTL on the ttl attribute and pk as key", async () => {
    const [table] = await mocks.ofType("aws:dynamodb/table:Table");
    expect(table?.inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      ttl: { attributeName: "ttl", enabled: true },
    });
  });
});

describe("broker", () => {
  it("is an arm64 nodejs22.x function with an IAM Function URL", () => {
    const [fn] = mocks.functions;
    expect(fn?.name).toBe("Broker");
    expect(fn?.args).toMatchObject({
      bundle: "apps/broker/dist",
      handler: "handler.handler",
      runtime: "nodejs22.x",
      architecture: "arm64",
      url: { authorization: "iam", cors: false },
      concurrency: { reserved: 5 },
    });
  });

  it("gets its configuration and table name through the environment", async () => {
    const env = await mocks.resolve<Record<string, string>>(mocks.functions[0]?.args.environment);
    expect(JSON.parse(env.MCP_TOKEN_BROKER_CONFIG ?? "{}").profiles.default.secretId).toBe(out.secretArn);
    expect(env.MCP_TOKEN_CACHE_TABLE).toBe("TokenCache-abc");
  });

  it("may read only its secret and touch only its table's items", async () => {
    const permissions = await mocks.resolve(mocks.functions[0]?.args.permissions);
    expect(permissions).toEqual([
      { actions: ["secretsmanager:GetSecretValue"], resources: [out.secretArn] },
      {
        actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        resources: [out.tableArn],
      },
    ]);
  });
});

describe("invoke policy", () => {
  it("is a named managed policy allowing only the broker, URL calls only with AWS_IAM auth", async () => {
    const [policy] = await mocks.ofType("aws:iam/policy:Policy");
    const fnArn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:mcp-token-test-Broker`;
    expect(policy?.inputs.name).toBe("mcp-token-test-broker-invoke");
    expect(JSON.parse(String(policy?.inputs.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "InvokeBrokerFunctionUrl",
          Effect: "Allow",
          Action: "lambda:InvokeFunctionUrl",
          Resource: fnArn,
          Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
        },
        {
          Sid: "InvokeBrokerFunction",
          Effect: "Allow",
          Action: "lambda:InvokeFunction",
          Resource: fnArn,
          Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
        },
      ],
    });
    expect(out.policyArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:policy/mcp-token-test-broker-invoke`);
  });

  it("grants the other account both actions, each restricted to the IAM Function URL", async () => {
    const permissions = await mocks.ofType("aws:lambda/permission:Permission", 2);
    expect(permissions.map((p) => p.inputs)).toEqual([
      {
        function: "mcp-token-test-Broker",
        action: "lambda:InvokeFunctionUrl",
        principal: "444455556666",
        functionUrlAuthType: "AWS_IAM",
      },
      {
        function: "mcp-token-test-Broker",
        action: "lambda:InvokeFunction",
        principal: "444455556666",
        invokedViaFunctionUrl: true,
      },
    ]);
  });
});

describe("MCP server on AgentCore", () => {
  it("builds an arm64 image from apps/mcp-server/Dockerfile and pushes it to its repository", async () => {
    const [image] = await mocks.ofType("docker-build:index:Image");
    expect(image?.inputs).toMatchObject({
      context: { location: "/repo" },
      dockerfile: { location: "/repo/apps/mcp-server/Dockerfile" },
      platforms: ["linux/arm64"],
      push: true,
      tags: [`${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/mcp-token-test-mcp-server:latest`],
    });
  });

  it("runs the MCP protocol with the custom JWT authorizer from the stage", async () => {
    const [runtime] = await mocks.ofType("aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime");
    expect(runtime?.inputs).toMatchObject({
      agentRuntimeName: "mcp_token_test_mcp",
      protocolConfiguration: { serverProtocol: "MCP" },
      networkConfiguration: { networkMode: "PUBLIC" },
      authorizerConfiguration: {
        customJwtAuthorizer: {
          discoveryUrl: "https://acme.us.auth0.com/.well-known/openid-configuration",
          allowedAudiences: ["https://mcp.acme.example/"],
          allowedClients: ["M2mClientId123"],
          // issue 16: AgentCore enforces scopes and custom claims as deployed.
          allowedScopes: ["invoke"],
          customClaims: [
            {
              inboundTokenClaimName: "groups",
              inboundTokenClaimValueType: "STRING_ARRAY",
              authorizingClaimMatchValue: {
                claimMatchOperator: "CONTAINS_ANY",
                claimMatchValue: { matchValueStringLists: ["mcp-users"] },
              },
            },
          ],
        },
      },
      environmentVariables: {
        PORT: "8000",
        MCP_AUTH: "agentcore",
        AUTH_DISCOVERY_URL: "https://acme.us.auth0.com/.well-known/openid-configuration",
        AUTH_ALLOWED_AUDIENCES: "https://mcp.acme.example/",
        AUTH_ALLOWED_CLIENTS: "M2mClientId123",
        AUTH_ALLOWED_SCOPES: "invoke",
        AUTH_CUSTOM_CLAIMS: JSON.stringify([
          {
            inboundTokenClaimName: "groups",
            inboundTokenClaimValueType: "STRING_ARRAY",
            authorizingClaimMatchValue: {
              claimMatchOperator: "CONTAINS_ANY",
              claimMatchValue: { matchValueStringList: ["mcp-users"] },
            },
          },
        ]),
        MCP_ALLOWED_HOSTS: "*",
      },
      agentRuntimeArtifact: {
        containerConfiguration: {
          containerUri: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/mcp-token-test-mcp-server@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`,
        },
      },
    });
    expect(runtime?.inputs).not.toHaveProperty("requestHeaderConfiguration");
  });

  it("gives the execution role only image pull and log permissions, assumable only by AgentCore", async () => {
    // Prepare
    const [role] = await mocks.ofType("aws:iam/role:Role");
    const [rolePolicy] = await mocks.ofType("aws:iam/rolePolicy:RolePolicy");
    const trust = JSON.parse(String(role?.inputs.assumeRolePolicy));
    const policy = JSON.parse(String(rolePolicy?.inputs.policy));

    // Assess
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: {
            "aws:SourceArn": [
              `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT_ID}:runtime/mcp_token_test_mcp-??????????`,
              `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT_ID}:runtime/mcp_token_test_mcp-??????????/*`,
            ],
          },
        },
      }),
    ]);
    expect(policy.Statement.flatMap((s: { Action: string | string[] }) => s.Action)).toEqual([
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:GetAuthorizationToken",
      "logs:CreateLogGroup",
      "logs:DescribeLogStreams",
      "logs:DescribeLogGroups",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]);
    expect(policy.Statement[0].Resource).toBe(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/mcp-token-test-mcp-server`,
    );
  });

  it("outputs the invocation URL of the runtime", () => {
    expect(out.mcpUrl).toBe(
      `https://bedrock-agentcore.${REGION}.amazonaws.com/runtimes/${encodeURIComponent(String(out.runtimeArn))}/invocations?qualifier=DEFAULT`,
    );
  });
});

describe("trust model over every synthesized resource (issue 14)", () => {
  const BROKER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/mcp-token-test-BrokerRole-abc`;
  type Statement = {
    Effect: string;
    Action: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
  };
  const statementsOf = (policy: unknown): Statement[] =>
    (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
  const allows = (s: Statement, action: string) => s.Effect === "Allow" && [s.Action].flat().includes(action);

  it("no resource grants lambda:InvokeFunction except via the Function URL", async () => {
    await mocks.ofType("aws:iam/policy:Policy");
    let grants = 0;
    for (const r of mocks.resources) {
      if (r.type === "aws:lambda/permission:Permission" && r.inputs.action === "lambda:InvokeFunction") {
        grants += 1;
        expect(r.inputs.invokedViaFunctionUrl, `${r.name}`).toBe(true);
      }
      for (const key of ["policy", "inlinePolicies"]) {
        const value = r.inputs[key];
        if (typeof value !== "string" || !value.includes("lambda:InvokeFunction")) continue;
        for (const s of statementsOf(value).filter((st) => allows(st, "lambda:InvokeFunction"))) {
          grants += 1;
          expect(s.Condition?.Bool?.["lambda:InvokedViaFunctionUrl"], `${r.name}`).toBe("true");
        }
      }
    }
    for (const fn of mocks.functions) {
      const permissions = (await mocks.resolve<{ actions: string[] }[]>(fn.args.permissions)) ?? [];
      expect(permissions.flatMap((p) => p.actions)).not.toContain("lambda:InvokeFunction");
    }
    // The invoke policy's statement and one cross-account permission were found and checked.
    expect(grants).toBeGreaterThanOrEqual(2);
  });

  it("fences the Auth0 secret with a resource policy naming only the broker's role", async () => {
    const [policy] = await mocks.ofType("aws:secretsmanager/secretPolicy:SecretPolicy");
    expect(policy?.inputs.secretArn).toBe(out.secretArn);
    expect(policy?.inputs.blockPublicPolicy).toBe(true);
    expect(statementsOf(policy?.inputs.policy)).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Action: "secretsmanager:GetSecretValue",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BROKER_ROLE } },
      }),
    ]);
  });

  it("fences the cache table with a resource policy naming only the broker's role", async () => {
    const [policy] = await mocks.ofType("aws:dynamodb/resourcePolicy:ResourcePolicy");
    expect(policy?.inputs.resourceArn).toBe(out.tableArn);
    expect(statementsOf(policy?.inputs.policy)).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Resource: [out.tableArn, `${out.tableArn}/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BROKER_ROLE } },
      }),
    ]);
  });
});
