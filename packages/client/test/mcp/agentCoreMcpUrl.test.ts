import { describe, expect, it } from "vitest";
import { agentCoreMcpUrl, isAgentCoreRuntimeArn } from "../../src/mcp/agentCoreMcpUrl.js";

const ARN = "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/mcp_server-AbC123xyz";

describe("Function: agentCoreMcpUrl", () => {
  it("builds the invocation URL with the URL-encoded ARN, the ARN's region and qualifier DEFAULT", () => {
    expect(agentCoreMcpUrl(ARN).href).toBe(
      "https://bedrock-agentcore.us-west-2.amazonaws.com/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fmcp_server-AbC123xyz/invocations?qualifier=DEFAULT",
    );
  });

  it("takes region and qualifier overrides", () => {
    const url = agentCoreMcpUrl(ARN, { region: "eu-west-1", qualifier: "canary" });
    expect(url.host).toBe("bedrock-agentcore.eu-west-1.amazonaws.com");
    expect(url.searchParams.get("qualifier")).toBe("canary");
  });

  it("rejects anything that is not a runtime ARN, naming the argument", () => {
    expect(() => agentCoreMcpUrl("arn:aws:lambda:us-west-2:123456789012:function:x")).toThrow(
      expect.objectContaining({
        code: "ERR_INVALID_ARG_VALUE",
        message: expect.stringMatching(/^"runtimeArn" must be/),
      }),
    );
    expect(isAgentCoreRuntimeArn(ARN)).toBe(true);
    expect(isAgentCoreRuntimeArn("https://example.com/mcp")).toBe(false);
  });
});
