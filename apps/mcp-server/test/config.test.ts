import { EnvError } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { DEFAULTS, loadConfig } from "../src/index.js";

const DISCOVERY = "https://tenant.example.auth0.com/.well-known/openid-configuration";

function configError(env: Record<string, string>): EnvError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return e as EnvError;
  }
  throw new Error("expected a EnvError");
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
      customClaims: [],
      clockToleranceSeconds: DEFAULTS.clockToleranceSeconds,
      allowUnauthenticatedPing: "off",
    });
  });

  it("keeps the Host/Origin guard on by default whatever the bind address and mode", () => {
    for (const env of [
      { MCP_AUTH: "agentcore" },
      { MCP_AUTH: "none", HOST: "0.0.0.0" },
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", HOST: "0.0.0.0" },
    ]) {
      expect(loadConfig(env).hostGuard).toEqual({
        mode: "on",
        hostnames: ["localhost", "127.0.0.1", "[::1]"],
      });
    }
  });

  it("adds MCP_ALLOWED_HOSTS names to loopback, lower-cased, and turns the guard off only for *", () => {
    expect(
      loadConfig({ MCP_AUTH: "agentcore", MCP_ALLOWED_HOSTS: "MCP.Example.com, 10.0.0.5,[fd00::1]" })
        .hostGuard,
    ).toEqual({
      mode: "on",
      hostnames: ["localhost", "127.0.0.1", "[::1]", "mcp.example.com", "10.0.0.5", "[fd00::1]"],
    });
    expect(loadConfig({ MCP_AUTH: "agentcore", MCP_ALLOWED_HOSTS: " * " }).hostGuard).toEqual({
      mode: "off",
    });
  });

  it("reads AUTH_CUSTOM_CLAIMS in AgentCore's shape and MCP_ALLOW_UNAUTHENTICATED_PING", () => {
    const config = loadConfig({
      AUTH_DISCOVERY_URL: DISCOVERY,
      AUTH_ALLOWED_CLIENTS: "c",
      MCP_ALLOW_UNAUTHENTICATED_PING: "loopback",
      AUTH_CUSTOM_CLAIMS: JSON.stringify([
        {
          inboundTokenClaimName: "https://example.com/team",
          inboundTokenClaimValueType: "STRING",
          authorizingClaimMatchValue: {
            claimMatchOperator: "EQUALS",
            claimMatchValue: { matchValueString: "platform" },
          },
        },
      ]),
    });
    expect(config.jwt?.allowUnauthenticatedPing).toBe("loopback");
    expect(config.jwt?.customClaims).toEqual([
      {
        inboundTokenClaimName: "https://example.com/team",
        inboundTokenClaimValueType: "STRING",
        authorizingClaimMatchValue: {
          claimMatchOperator: "EQUALS",
          claimMatchValue: { matchValueString: "platform" },
        },
      },
    ]);
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
    [
      { MCP_AUTH: "none", MCP_ALLOWED_HOSTS: "https://mcp.example.com" },
      "MCP_ALLOWED_HOSTS",
      /^MCP_ALLOWED_HOSTS: entry 1 \("https:\/\/mcp\.example\.com"\) must be a bare host name such as mcp\.example\.com, 10\.0\.0\.5 or \[fd00::1\], without scheme, port, path or wildcard .*; use \* alone to turn the guard off/,
    ],
    [
      { MCP_AUTH: "none", MCP_ALLOWED_HOSTS: "a.example,mcp.example.com:8443" },
      "MCP_ALLOWED_HOSTS",
      /entry 2 \("mcp\.example\.com:8443"\) must be a bare host name/,
    ],
    [
      { MCP_AUTH: "none", MCP_ALLOWED_HOSTS: "*.example.com" },
      "MCP_ALLOWED_HOSTS",
      /entry 1 \("\*\.example\.com"\) must be a bare host name/,
    ],
    [
      { MCP_AUTH: "none", MCP_ALLOWED_HOSTS: "a.example/mcp" },
      "MCP_ALLOWED_HOSTS",
      /must be a bare host name/,
    ],
    [
      { MCP_AUTH: "none", MCP_ALLOWED_HOSTS: "*,a.example" },
      "MCP_ALLOWED_HOSTS",
      /"\*" turns the Host\/Origin guard off and cannot be combined with host names/,
    ],
    [
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", MCP_ALLOW_UNAUTHENTICATED_PING: "true" },
      "MCP_ALLOW_UNAUTHENTICATED_PING",
      /expected one of off, loopback, any, got "true"/,
    ],
    [
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", AUTH_ALLOWED_SCOPES: 'invoke bad"scope' },
      "AUTH_ALLOWED_SCOPES",
      /entry 2 \("bad"scope"\) must be 1 to 255 printable ASCII characters without '"' or '\\' \(AgentCore's allowedScopes pattern\)/,
    ],
    [
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", AUTH_ALLOWED_SCOPES: "s".repeat(256) },
      "AUTH_ALLOWED_SCOPES",
      /entry 1/,
    ],
    [
      { AUTH_DISCOVERY_URL: DISCOVERY, AUTH_ALLOWED_CLIENTS: "c", AUTH_CUSTOM_CLAIMS: "{not json" },
      "AUTH_CUSTOM_CLAIMS",
      /^AUTH_CUSTOM_CLAIMS: is not valid JSON \(.*\)\. Expected AgentCore's customClaims shape, e\.g\. \[\{"inboundTokenClaimName"/,
    ],
    [
      {
        AUTH_DISCOVERY_URL: DISCOVERY,
        AUTH_ALLOWED_CLIENTS: "c",
        AUTH_CUSTOM_CLAIMS: JSON.stringify([
          {
            inboundTokenClaimName: "groups",
            inboundTokenClaimValueType: "STRING",
            authorizingClaimMatchValue: {
              claimMatchOperator: "CONTAINS_ANY",
              claimMatchValue: { matchValueStringList: ["a"] },
            },
          },
        ]),
      },
      "AUTH_CUSTOM_CLAIMS",
      /^AUTH_CUSTOM_CLAIMS: \[0\]\.authorizingClaimMatchValue\.claimMatchOperator: CONTAINS_ANY cannot be used with inboundTokenClaimValueType STRING; STRING allows EQUALS/,
    ],
  ])("refuses %j naming %s", (env, variable, message) => {
    const error = configError(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.code).toBe("ERR_INVALID_ENV");
  });

  it("allows http discovery URLs on loopback only (local stack)", () => {
    const config = loadConfig({
      AUTH_DISCOVERY_URL: "http://127.0.0.1:4000/.well-known/openid-configuration",
      AUTH_ALLOWED_CLIENTS: "c",
    });
    expect(config.jwt?.discoveryUrl).toBe("http://127.0.0.1:4000/.well-known/openid-configuration");
  });
});
