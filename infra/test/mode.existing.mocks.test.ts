/** `mcpServer.mode: "existing"` (issue 16): nothing created for the MCP side; the outputs say what to set. */
import { describe, expect, it } from "vitest";
import { deployMode } from "./support/deployMode.js";
import { ACCOUNT_ID } from "./support/pulumiMocks.js";

const RUNTIME = `arn:aws:bedrock-agentcore:eu-west-1:${ACCOUNT_ID}:runtime/team_fastmcp-AbCdEf1234`;

describe('mcpServer.mode "existing"', () => {
  it("creates no runtime, repository, image or role, and outputs the runtime's URL and the authorizer to apply", async () => {
    // Act
    const { mocks, out, types } = await deployMode({
      mode: "existing",
      runtimeArn: RUNTIME,
      allowedScopes: ["invoke"],
    });
    // Assess
    expect(types().filter((t) => /bedrock|^aws:ecr\/|docker-build|^aws:iam\/role/.test(t))).toEqual([]);
    expect(await mocks.resolve(out.runtimeArn)).toBe(RUNTIME);
    expect(await mocks.resolve(out.mcpUrl)).toBe(
      `https://bedrock-agentcore.eu-west-1.amazonaws.com/runtimes/${encodeURIComponent(RUNTIME)}/invocations?qualifier=DEFAULT`,
    );
    expect(JSON.parse(out.authorizerConfiguration as string)).toEqual({
      customJWTAuthorizer: {
        discoveryUrl: "https://acme.us.auth0.com/.well-known/openid-configuration",
        allowedAudience: ["https://mcp.acme.example/"],
        allowedClients: ["M2mClientId123"],
        allowedScopes: ["invoke"],
      },
    });
  });
});
