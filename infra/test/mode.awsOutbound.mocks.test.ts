/**
 * AWS-native tokens (issue 19): `awsOutboundIdentity` creates the managed policy for STS
 * `GetWebIdentityToken`, limited by its documented condition keys, and `mcpServer.trust:
 * "aws-outbound"` points the runtime's authorizer at the account's outbound issuer (no client id).
 */
import { describe, expect, it } from "vitest";
import { deployMode } from "./support/deployMode.js";
import { ACCOUNT_ID } from "./support/pulumiMocks.js";

const ISSUER = "https://abc123-def456-ghi789.tokens.sts.global.api.aws";
const AUD = "https://mcp.acme.example/";

describe("awsOutboundIdentity and mcpServer.trust aws-outbound", () => {
  it("creates a policy allowing GetWebIdentityToken only for the audiences and duration, and a runtime trusting the issuer", async () => {
    // Act
    const { mocks, out } = await deployMode(
      { mode: "demo", trust: "aws-outbound" },
      { awsOutboundIdentity: { issuer: `${ISSUER}/`, audiences: [AUD], maxDurationSeconds: 600 } },
    );
    // Assess: the policy
    const [policy] = (await mocks.ofType("aws:iam/policy:Policy")).filter(
      (p) => p.name === "WebIdentityTokenPolicy",
    );
    expect(policy?.inputs.name).toBe("mcp-token-test-web-identity-token");
    expect(JSON.parse(String(policy?.inputs.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "GetWebIdentityTokenForMcpServers",
          Effect: "Allow",
          Action: "sts:GetWebIdentityToken",
          Resource: "*",
          Condition: {
            "ForAllValues:StringEquals": { "sts:IdentityTokenAudience": [AUD] },
            Null: { "sts:IdentityTokenAudience": "false" },
            NumericLessThanEquals: { "sts:DurationSeconds": "600" },
            StringEquals: { "sts:SigningAlgorithm": ["RS256", "ES384"] },
          },
        },
      ],
    });
    expect(await mocks.resolve(out.webIdentityTokenPolicyArn)).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:policy/mcp-token-test-web-identity-token`,
    );
    // Assess: the runtime's authorizer
    const [runtime] = await mocks.ofType("aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime");
    const config = runtime?.inputs.authorizerConfiguration as
      | { customJwtAuthorizer: Record<string, unknown> }
      | undefined;
    const authorizer = config?.customJwtAuthorizer ?? {};
    expect(authorizer.discoveryUrl).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(authorizer.allowedAudiences).toEqual([AUD]);
    expect(authorizer.allowedClients ?? []).toEqual([]);
  });

  it("gives an existing runtime the authorizer to apply for STS tokens", async () => {
    const { out } = await deployMode(
      {
        mode: "existing",
        runtimeArn: `arn:aws:bedrock-agentcore:us-west-2:${ACCOUNT_ID}:runtime/srv-AbCdEf1234`,
        trust: "aws-outbound",
      },
      { awsOutboundIdentity: { issuer: ISSUER, audiences: [AUD] } },
    );
    expect(JSON.parse(out.authorizerConfiguration as string)).toEqual({
      customJWTAuthorizer: {
        discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
        allowedAudience: [AUD],
      },
    });
  });
});
