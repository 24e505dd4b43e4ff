/** `mcpServer.mode: "image"` (issue 16): your container on a runtime created here, with this stage's authorizer. */
import { describe, expect, it } from "vitest";
import { deployMode } from "./support/deployMode.js";
import { ACCOUNT_ID, REGION } from "./support/pulumiMocks.js";

const IMAGE = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/team/fastmcp@sha256:${"ab".repeat(32)}`;

describe('mcpServer.mode "image"', () => {
  it("runs an image given by URI on a runtime with allowedScopes and customClaims wired, pulling only that repository", async () => {
    // Act
    const { mocks, types } = await deployMode({
      mode: "image",
      image: { uri: IMAGE },
      allowedScopes: ["invoke"],
      customClaims: [
        {
          inboundTokenClaimName: "https://mcp-token.dev/account",
          inboundTokenClaimValueType: "STRING",
          authorizingClaimMatchValue: {
            claimMatchOperator: "EQUALS",
            claimMatchValue: { matchValueString: ACCOUNT_ID },
          },
        },
      ],
    });
    // Assess: no repository or build for an image that already exists.
    expect(types().filter((t) => /^aws:ecr\/repository|docker-build/.test(t))).toEqual([]);
    const [runtime] = await mocks.ofType("aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime");
    expect(runtime?.inputs).toMatchObject({
      agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE } },
      protocolConfiguration: { serverProtocol: "MCP" },
      environmentVariables: { PORT: "8000" },
      authorizerConfiguration: {
        customJwtAuthorizer: {
          allowedScopes: ["invoke"],
          customClaims: [
            {
              inboundTokenClaimName: "https://mcp-token.dev/account",
              authorizingClaimMatchValue: {
                claimMatchOperator: "EQUALS",
                claimMatchValue: { matchValueString: ACCOUNT_ID },
              },
            },
          ],
        },
      },
    });
    const [policy] = await mocks.ofType("aws:iam/rolePolicy:RolePolicy");
    expect(String(policy?.inputs.policy)).toContain(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/team/fastmcp`,
    );
  });
});
