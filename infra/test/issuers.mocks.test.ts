/**
 * Several issuers in one stage (issue 20): an Auth0 tenant and a Cognito user pool each get their own
 * secret, each fenced to the broker's role, and the broker's role reads exactly those two; profiles
 * reach their issuer with its request style. The broker, the role and the secrets are the ones
 * `deployStage` creates, walked through the Pulumi mocks.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deployMode } from "./support/deployMode.js";
import { ACCOUNT_ID, REGION } from "./support/pulumiMocks.js";

const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/mcp-agent`;
/** The broker role's ARN as the mocks name SST's `nodes.role`. */
const BROKER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/mcp-token-test-BrokerRole-abc`;
/** A created secret's ARN as the mocks give it: the name prefix, a suffix. */
const secretArn = (prefix: unknown) =>
  `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${String(prefix)}0000-AbCdEf`;

describe("issuers: an Auth0 tenant and a Cognito user pool from one broker", () => {
  it("creates two fenced secrets and a broker role that reads exactly those", async () => {
    // Act
    const { mocks } = await deployMode(
      { mode: "none" },
      {
        issuers: {
          pool: {
            kind: "cognito",
            userPoolId: "eu-west-1_AbCdEf123",
            domain: "acme.auth.eu-west-1.amazoncognito.com",
            resourceServer: "mcp",
            clientId: "1a2b3c4d5e6f7g8h9i0j",
          },
        },
        broker: {
          profiles: {
            default: { allow: [ROLE] },
            tools: { issuer: "pool", scopes: ["mcp/invoke"], allow: [ROLE] },
          },
        },
      },
    );
    // Assess: two secrets, two fences naming the broker role
    const secrets = await mocks.ofType("aws:secretsmanager/secret:Secret", 2);
    expect(secrets.map((s) => s.inputs.namePrefix).sort()).toEqual([
      "mcp-token/test/auth0-m2m-",
      "mcp-token/test/pool-m2m-",
    ]);
    const secretArns = secrets.map((s) => secretArn(s.inputs.namePrefix));
    const fences = await mocks.ofType("aws:secretsmanager/secretPolicy:SecretPolicy", 2);
    const brokerRole = BROKER_ROLE;
    for (const fence of fences) {
      const [statement] = JSON.parse(String(fence.inputs.policy)).Statement;
      expect(statement).toMatchObject({
        Effect: "Deny",
        Action: "secretsmanager:GetSecretValue",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": brokerRole } },
      });
      expect(fence.inputs.blockPublicPolicy).toBe(true);
    }
    expect(fences.map((f) => f.inputs.secretArn).sort()).toEqual([...secretArns].sort());
    // The broker role: GetSecretValue on exactly those two
    const permissions = await mocks.resolve<{ actions: string[]; resources: string[] }[]>(
      mocks.functions[0]?.args.permissions,
    );
    const reads = permissions.filter((p) => p.actions.includes("secretsmanager:GetSecretValue"));
    expect(reads).toHaveLength(1);
    expect([...(reads[0]?.resources ?? [])].sort()).toEqual([...secretArns].sort());
    // Profiles reach their issuer
    const env = await mocks.resolve<Record<string, string>>(mocks.functions[0]?.args.environment);
    const config = JSON.parse(env.MCP_TOKEN_BROKER_CONFIG as string);
    expect(config.profiles.tools).toMatchObject({
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/",
      audience: "mcp",
      requestStyle: "cognito",
      allowedTokenEndpointOrigins: ["https://acme.auth.eu-west-1.amazoncognito.com/"],
      expectedClientId: "1a2b3c4d5e6f7g8h9i0j",
    });
    expect(config.profiles.default).toMatchObject({
      issuer: "https://acme.us.auth0.com/",
      requestStyle: "auth0",
    });
    expect(config.profiles.tools.secretId).not.toBe(config.profiles.default.secretId);
  });
});

describe("a broker configuration over the environment budget", () => {
  it("goes to an SSM parameter pinned by its SHA-256, which only the broker role may read", async () => {
    // Act: 100 allow patterns, over the 4 KB Lambda environment
    const allow = Array.from(
      { length: 100 },
      (_, i) => `arn:aws:iam::${ACCOUNT_ID}:role/team-${i}/mcp-agent`,
    );
    const { mocks } = await deployMode({ mode: "none" }, { broker: { profiles: { default: { allow } } } });
    // Assess: the parameter
    const [parameter] = await mocks.ofType("aws:ssm/parameter:Parameter");
    expect(parameter?.inputs).toMatchObject({
      name: "/mcp-token/test/broker-config",
      type: "String",
      tier: "Advanced",
    });
    // The provider marks a parameter's value secret: the mocks see Pulumi's secret wrapper.
    const raw = parameter?.inputs.value as string | { value: string };
    const value = typeof raw === "string" ? raw : raw.value;
    expect(Buffer.byteLength(value)).toBeGreaterThan(4096);
    expect(JSON.parse(value).profiles.default.allow).toEqual(allow);
    // The environment names it and pins its hash, and holds no configuration itself
    const env = await mocks.resolve<Record<string, string>>(mocks.functions[0]?.args.environment);
    expect(env.MCP_TOKEN_BROKER_CONFIG).toBeUndefined();
    expect(env.MCP_TOKEN_BROKER_CONFIG_PARAMETER).toBe("/mcp-token/test/broker-config");
    expect(env.MCP_TOKEN_BROKER_CONFIG_SHA256).toBe(createHash("sha256").update(value).digest("hex"));
    // The broker may read exactly that parameter
    const permissions = await mocks.resolve<{ actions: string[]; resources: string[] }[]>(
      mocks.functions[0]?.args.permissions,
    );
    expect(permissions).toContainEqual({
      actions: ["ssm:GetParameter"],
      resources: [`arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/mcp-token/test/broker-config`],
    });
  });
});
