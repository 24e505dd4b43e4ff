import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULTS, loadConfig } from "../src/index.js";

const DISCOVERY = "https://tenant.example.auth0.com/.well-known/openid-configuration";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("Function: loadConfig", () => {
  it("defaults to AgentCore's contract: jwt mode on 0.0.0.0:8000 with a 1 MiB body limit", () => {
    const config = loadConfig({ AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_AUDIENCES: "https://api/" });
    expect(config).toMatchObject({ auth: "jwt", host: "0.0.0.0", port: 8000, maxBodyBytes: 1024 * 1024 });
    expect(config.jwt).toEqual({
      discoveryUrl: DISCOVERY,
      allowedAudiences: ["https://api/"],
      allowedClients: [],
      allowedScopes: [],
      clockToleranceSeconds: DEFAULTS.clockToleranceSeconds,
    });
  });

  it("reads lists trimmed and de-duplicated; scopes may be space-separated", () => {
    const config = loadConfig({
      AUTH_DISCOVERY_URL: DISCOVERY,
      AUTH_ALLOWED_AUDIENCES: " https://a/ , https://b/,https://a/ ",
      AUTH_ALLOWED_CLIENTS: "c1,c2",
      AUTH_ALLOWED_SCOPES: "invoke read,write",
    });
    expect(config.jwt).toMatchObject({
      allowedAudiences: ["https://a/", "https://b/"],
      allowedClients: ["c1", "c2"],
      allowedScopes: ["invoke", "read", "write"],
    });
  });

  it("needs no auth settings in agentcore and none modes", () => {
    expect(loadConfig({ MCP_AUTH: "agentcore" })).toMatchObject({ auth: "agentcore" });
    expect(loadConfig({ MCP_AUTH: "none", PORT: "0" })).toMatchObject({ auth: "none", port: 0 });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ MCP_AUTH: "none", PORT: "", HOST: "  " })).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
    });
  });

  it("normalises MCP_PUBLIC_URL without a trailing slash", () => {
    expect(loadConfig({ MCP_AUTH: "none", MCP_PUBLIC_URL: "https://mcp.example.com/" }).publicUrl).toBe(
      "https://mcp.example.com",
    );
  });

  it.each([
    [{ MCP_AUTH: "oauth" }, "MCP_AUTH", /expected one of jwt, agentcore, none, got "oauth"/],
    [{ MCP_AUTH: "jwt" }, "AUTH_DISCOVERY_URL", /is required when MCP_AUTH=jwt/],
    [{ AUTH_DISCOVERY_URL: "not a url" }, "AUTH_DISCOVERY_URL", /expected an OIDC discovery URL/],
    [
      { AUTH_DISCOVERY_URL: "http://issuer.example/.well-known/openid-configuration" },
      "AUTH_DISCOVERY_URL",
      /must be an https: URL/,
    ],
    [{ AUTH_DISCOVERY_URL: "https://issuer.example/jwks.json" }, "AUTH_DISCOVERY_URL", /must end in/],
    [{ AUTH_DISCOVERY_URL: DISCOVERY }, "AUTH_ALLOWED_AUDIENCES", /or AUTH_ALLOWED_CLIENTS/],
    [{ MCP_AUTH: "none", PORT: "80a" }, "PORT", /expected an integer from 0 to 65535/],
    [{ MCP_AUTH: "none", PORT: "70000" }, "PORT", /expected an integer/],
    [{ MCP_AUTH: "none", MAX_BODY_BYTES: "-1" }, "MAX_BODY_BYTES", /expected an integer/],
    [{ MCP_AUTH: "none", LOG_LEVEL: "verbose" }, "LOG_LEVEL", /expected one of/],
    [{ MCP_AUTH: "none", MCP_PUBLIC_URL: "ftp://x" }, "MCP_PUBLIC_URL", /http\(s\)/],
    [
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", AUTH_CLOCK_TOLERANCE_SECONDS: "3600" },
      "AUTH_CLOCK_TOLERANCE_SECONDS",
      /from 0 to 300/,
    ],
  ])("refuses %j naming %s", (env, variable, message) => {
    const error = configError(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.code).toBe("ERR_INVALID_CONFIG");
  });

  it("allows http discovery URLs on loopback only (local stack)", () => {
    const config = loadConfig({
      AUTH_DISCOVERY_URL: "http://127.0.0.1:4000/.well-known/openid-configuration",
      AUTH_ALLOWED_CLIENTS: "c",
    });
    expect(config.jwt?.discoveryUrl).toBe("http://127.0.0.1:4000/.well-known/openid-configuration");
  });
});
