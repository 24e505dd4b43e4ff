import { describe, expect, it } from "vitest";
import {
  agentRuntimeInvocationUrl,
  agentRuntimeName,
  auth0DiscoveryUrl,
  customJwtAuthorizer,
  mcpServerEnvironment,
  pulumiCustomClaim,
  requestHeaderAllowlist,
} from "../lib/agentcore.js";
import { parseStageConfig } from "../lib/stageConfig.js";
import { stageInput } from "./fixtures.js";

describe("agentRuntimeName", () => {
  it("joins app and stage with underscores, as AgentCore requires", () => {
    expect(agentRuntimeName("mcp-token", "prod")).toBe("mcp_token_prod_mcp");
  });

  it("replaces characters AgentCore rejects and stays within 48 characters", () => {
    const name = agentRuntimeName("mcp-token", "pr-1234.feature/very-long-branch-name-for-testing");
    expect(name).toMatch(/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/);
    expect(name.startsWith("mcp_token_pr_1234_feature_very_long")).toBe(true);
  });

  it("drops leading characters that are not letters", () => {
    expect(agentRuntimeName("1-app", "dev")).toBe("app_dev_mcp");
  });
});

describe("agentRuntimeInvocationUrl", () => {
  it("URL-encodes the runtime ARN into the invocation path with the DEFAULT qualifier", () => {
    expect(
      agentRuntimeInvocationUrl(
        "us-west-2",
        "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/mcp_token_prod_mcp-AbCdEf1234",
      ),
    ).toBe(
      "https://bedrock-agentcore.us-west-2.amazonaws.com/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A111122223333%3Aruntime%2Fmcp_token_prod_mcp-AbCdEf1234/invocations?qualifier=DEFAULT",
    );
  });
});

describe("customJwtAuthorizer", () => {
  it("allows the API audience and, with RFC 9068 tokens, the M2M client", () => {
    expect(customJwtAuthorizer(parseStageConfig("prod", stageInput()))).toEqual({
      discoveryUrl: "https://acme.us.auth0.com/.well-known/openid-configuration",
      allowedAudiences: ["https://mcp.acme.example/"],
      allowedClients: ["M2mClientId123"],
      allowedScopes: [],
      customClaims: [],
    });
  });

  it("checks no client with the auth0 token profile, which has no client_id claim", () => {
    const stage = parseStageConfig(
      "prod",
      stageInput({ auth0: { ...stageInput().auth0!, tokenProfile: "auth0" } }),
    );
    expect(customJwtAuthorizer(stage).allowedClients).toEqual([]);
    expect(customJwtAuthorizer(stage).allowedAudiences).toEqual(["https://mcp.acme.example/"]);
  });

  it("takes explicit audiences and clients from the stage", () => {
    const stage = parseStageConfig(
      "prod",
      stageInput({ mcpServer: { allowedAudiences: ["a", "b"], allowedClients: ["c1", "c2"] } }),
    );
    expect(customJwtAuthorizer(stage)).toMatchObject({
      allowedAudiences: ["a", "b"],
      allowedClients: ["c1", "c2"],
    });
  });

  it("ends the discovery URL in /.well-known/openid-configuration", () => {
    expect(auth0DiscoveryUrl("login.acme.example")).toBe(
      "https://login.acme.example/.well-known/openid-configuration",
    );
  });
});

describe("mcpServerEnvironment", () => {
  it("gives the container AgentCore's port and the authorizer's settings", () => {
    expect(mcpServerEnvironment(parseStageConfig("prod", stageInput()))).toEqual({
      PORT: "8000",
      MCP_AUTH: "agentcore",
      AUTH_DISCOVERY_URL: "https://acme.us.auth0.com/.well-known/openid-configuration",
      AUTH_ALLOWED_AUDIENCES: "https://mcp.acme.example/",
      AUTH_ALLOWED_CLIENTS: "M2mClientId123",
      MCP_ALLOWED_HOSTS: "*",
    });
  });

  it("wires allowedScopes and customClaims into the authorizer and the jwt-mode container alike (issue 16)", () => {
    // Prepare
    const rule = {
      inboundTokenClaimName: "https://mcp-token.dev/account",
      inboundTokenClaimValueType: "STRING" as const,
      authorizingClaimMatchValue: {
        claimMatchOperator: "EQUALS" as const,
        claimMatchValue: { matchValueString: "123456789012" },
      },
    };
    const listRule = {
      inboundTokenClaimName: "groups",
      inboundTokenClaimValueType: "STRING_ARRAY" as const,
      authorizingClaimMatchValue: {
        claimMatchOperator: "CONTAINS_ANY" as const,
        claimMatchValue: { matchValueStringList: ["a", "b"] },
      },
    };
    const stage = parseStageConfig(
      "prod",
      stageInput({
        mcpServer: { containerAuth: "jwt", allowedScopes: ["invoke"], customClaims: [rule, listRule] },
      }),
    );
    // Act
    const authorizer = customJwtAuthorizer(stage);
    const env = mcpServerEnvironment(stage);
    // Assess: the runtime and the container check the same rules.
    expect(authorizer).toMatchObject({ allowedScopes: ["invoke"], customClaims: [rule, listRule] });
    expect(env).toMatchObject({
      AUTH_ALLOWED_SCOPES: "invoke",
      AUTH_CUSTOM_CLAIMS: JSON.stringify([rule, listRule]),
      MCP_ALLOW_UNAUTHENTICATED_PING: "any",
    });
    expect(pulumiCustomClaim(listRule).authorizingClaimMatchValue.claimMatchValue).toEqual({
      matchValueStringLists: ["a", "b"],
    });
  });

  it("leaves AUTH_ALLOWED_CLIENTS unset when no client is checked", () => {
    const stage = parseStageConfig(
      "prod",
      stageInput({ auth0: { ...stageInput().auth0!, tokenProfile: "auth0" } }),
    );
    expect(mcpServerEnvironment(stage)).not.toHaveProperty("AUTH_ALLOWED_CLIENTS");
  });
});

describe("requestHeaderAllowlist", () => {
  it("forwards Authorization to the container only in jwt mode", () => {
    expect(requestHeaderAllowlist(parseStageConfig("prod", stageInput()))).toEqual([]);
    const jwt = parseStageConfig("prod", stageInput({ mcpServer: { containerAuth: "jwt" } }));
    expect(requestHeaderAllowlist(jwt)).toEqual(["Authorization"]);
    expect(mcpServerEnvironment(jwt).MCP_AUTH).toBe("jwt");
  });
});
