import { describe, expect, it } from "vitest";
import { loadConfig, startupWarnings } from "../src/index.js";

const JWT = {
  AUTH_DISCOVERY_URL: "https://tenant.example.auth0.com/.well-known/openid-configuration",
  AUTH_ALLOWED_CLIENTS: "c",
};

describe("Function: startupWarnings", () => {
  it("has nothing to say about jwt mode with the guard on and no ping allowance", () => {
    expect(startupWarnings(loadConfig(JWT))).toEqual([]);
  });

  it("names the risk of agentcore mode: anything that reaches the port is trusted", () => {
    expect(startupWarnings(loadConfig({ MCP_AUTH: "agentcore" }))).toEqual([
      "MCP_AUTH=agentcore: this server checks no token and trusts that AgentCore Runtime verified every caller; any process that can reach 0.0.0.0:8000 is trusted. Run it only behind AgentCore Runtime, never with the port published elsewhere; use MCP_AUTH=jwt anywhere else",
    ]);
  });

  it("names the risk of none mode", () => {
    expect(startupWarnings(loadConfig({ MCP_AUTH: "none", HOST: "127.0.0.1", PORT: "9000" }))).toEqual([
      "MCP_AUTH=none: authentication is disabled; any process that can reach 127.0.0.1:9000 can call every tool. Use only for local experiments; use MCP_AUTH=jwt anywhere else",
    ]);
  });

  it("warns when the Host/Origin guard is off and when token-less pings are answered", () => {
    const warnings = startupWarnings(
      loadConfig({ ...JWT, MCP_ALLOWED_HOSTS: "*", MCP_ALLOW_UNAUTHENTICATED_PING: "loopback" }),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^MCP_ALLOWED_HOSTS=\*: the Host\/Origin guard against DNS rebinding is off/);
    expect(warnings[1]).toBe(
      "MCP_ALLOW_UNAUTHENTICATED_PING=loopback: a token-less MCP ping to /mcp is answered for health probes (from loopback peers only); every other request still needs a valid token",
    );
  });
});
