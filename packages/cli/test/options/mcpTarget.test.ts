import { describe, expect, it } from "vitest";
import { mcpTargetUrl, parseMcpTarget } from "../../src/options/mcpTarget.js";

const ARN = "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/team_fastmcp-AbCdEf1234";

describe("Function: parseMcpTarget / mcpTargetUrl (issue 16)", () => {
  it("turns an AgentCore runtime ARN into its invocation URL: encoded ARN, qualifier DEFAULT", async () => {
    const url = await mcpTargetUrl(parseMcpTarget(ARN, undefined, "proxy"));
    expect(url.href).toBe(
      `https://bedrock-agentcore.us-west-2.amazonaws.com/runtimes/${encodeURIComponent(ARN)}/invocations?qualifier=DEFAULT`,
    );
  });

  it("takes --qualifier for an ARN, and refuses it for a URL", async () => {
    const url = await mcpTargetUrl(parseMcpTarget(ARN, "canary", "doctor"));
    expect(url.searchParams.get("qualifier")).toBe("canary");
    expect(() => parseMcpTarget("https://mcp.example.com/mcp", "canary", "proxy")).toThrow(
      "--qualifier only applies to an AgentCore runtime ARN target",
    );
  });

  it("refuses targets that are neither an https URL (http on loopback) nor a runtime ARN", () => {
    expect(() => parseMcpTarget("mcp.example.com", undefined, "proxy")).toThrow(
      /must be an MCP endpoint URL or an AgentCore runtime ARN/,
    );
    expect(() => parseMcpTarget("http://mcp.example.com/mcp", undefined, "proxy")).toThrow(/https: URL/);
    expect(parseMcpTarget("http://127.0.0.1:8000/mcp", undefined, "proxy").target).toBe(
      "http://127.0.0.1:8000/mcp",
    );
  });
});
