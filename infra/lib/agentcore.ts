/**
 * Everything about the AgentCore runtime that can be computed without AWS: its name, the inbound
 * custom JWT authorizer, the container's environment and the invocation URL clients call.
 */
import { stageIssuers } from "./issuers.js";
import type { StageConfig } from "./stageConfig.js";

/** AgentCore runtime names: a letter, then letters, digits or `_`, at most 48 characters. */
export const RUNTIME_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;

/** The MCP server's Dockerfile, relative to the repository root (also the build context). */
export const MCP_SERVER_DOCKERFILE = "apps/mcp-server/Dockerfile";

/** The port and path AgentCore's MCP protocol contract requires of the container. */
export const MCP_CONTAINER_PORT = 8000;

/**
 * The runtime name for an app and stage: `mcp_token_prod_mcp` for app `mcp-token`, stage `prod`.
 * Characters AgentCore does not allow become `_`; the result is cut to 48 characters.
 *
 * @throws TypeError when no letter is left to start the name with.
 */
export function agentRuntimeName(app: string, stage: string): string {
  const name = `${app}_${stage}_mcp`.replace(/[^A-Za-z0-9_]/g, "_").replace(/^[^A-Za-z]+/, "");
  const cut = name.slice(0, 48);
  if (!RUNTIME_NAME_PATTERN.test(cut)) {
    throw new TypeError(`"app"/"stage" give no valid AgentCore runtime name: ${JSON.stringify(cut)}`);
  }
  return cut;
}

/** OIDC discovery URL of an Auth0 domain (AgentCore requires the `/.well-known/openid-configuration` suffix). */
export function auth0DiscoveryUrl(domain: string): string {
  return `https://${domain}/.well-known/openid-configuration`;
}

/** One AgentCore `customClaims` rule, as the stage gives it (AgentCore's API shape). */
export type CustomClaimRule = NonNullable<StageConfig["mcpServer"]["customClaims"]>[number];

/** The runtime's `authorizerConfiguration.customJwtAuthorizer`. */
export interface CustomJwtAuthorizer {
  discoveryUrl: string;
  allowedAudiences: string[];
  allowedClients: string[];
  allowedScopes: string[];
  customClaims: CustomClaimRule[];
}

/**
 * A `customClaims` rule in the Pulumi provider's spelling (`matchValueStringLists` for AgentCore's
 * `matchValueStringList`); the MCP server accepts either.
 */
export function pulumiCustomClaim(rule: CustomClaimRule) {
  const { matchValueString, matchValueStringList } = rule.authorizingClaimMatchValue.claimMatchValue;
  return {
    inboundTokenClaimName: rule.inboundTokenClaimName,
    inboundTokenClaimValueType: rule.inboundTokenClaimValueType,
    authorizingClaimMatchValue: {
      claimMatchOperator: rule.authorizingClaimMatchValue.claimMatchOperator,
      claimMatchValue: {
        ...(matchValueString !== undefined && { matchValueString }),
        ...(matchValueStringList !== undefined && { matchValueStringLists: matchValueStringList }),
      },
    },
  };
}

/**
 * The inbound authorizer from the stage: the tenant's discovery URL, the API audience, and, with the
 * RFC 9068 token profile, the M2M client id (tokens of the `auth0` profile have no `client_id` claim).
 */
export function customJwtAuthorizer(stage: StageConfig): CustomJwtAuthorizer {
  const outbound = stage.awsOutboundIdentity;
  if (stage.mcpServer.trust === "aws-outbound" && outbound !== undefined) {
    // AgentCore semantics for STS tokens: discovery of the account's issuer, `aud` checked, no client id.
    return {
      discoveryUrl: `${outbound.issuer}/.well-known/openid-configuration`,
      allowedAudiences: stage.mcpServer.allowedAudiences ?? outbound.audiences,
      allowedClients: [],
      allowedScopes: stage.mcpServer.allowedScopes ?? [],
      customClaims: stage.mcpServer.customClaims ?? [],
    };
  }
  // The issuer named by `mcpServer.trust` (the stage validated that it exists).
  const issuer = stageIssuers(stage).get(stage.mcpServer.trust);
  if (!issuer) throw new Error(`mcpServer.trust names no issuer: ${stage.mcpServer.trust}`);
  // Cognito access tokens carry no aud: AgentCore checks the app client (`client_id`) instead. Auth0
  // tokens carry client_id only with the RFC 9068 profile.
  const clientFromIssuer =
    issuer.clientId !== undefined &&
    (issuer.kind === "cognito" || issuer.tokenProfile === "rfc9068" || issuer.kind === "oauth2")
      ? [issuer.clientId]
      : [];
  return {
    discoveryUrl: issuer.discoveryUrl,
    allowedAudiences:
      stage.mcpServer.allowedAudiences ?? (issuer.kind === "cognito" ? [] : [issuer.defaultAudience]),
    allowedClients: stage.mcpServer.allowedClients ?? clientFromIssuer,
    allowedScopes: stage.mcpServer.allowedScopes ?? [],
    customClaims: stage.mcpServer.customClaims ?? [],
  };
}

/**
 * The stage's authorizer in AgentCore's API shape (`authorizerConfiguration` of CreateAgentRuntime /
 * UpdateAgentRuntime, e.g. `aws bedrock-agentcore-control update-agent-runtime --authorizer-configuration`),
 * for a runtime this deployment does not manage (`mcpServer.mode: "existing"`).
 */
export function authorizerConfigurationJson(stage: StageConfig): string {
  const a = customJwtAuthorizer(stage);
  return JSON.stringify({
    customJWTAuthorizer: {
      discoveryUrl: a.discoveryUrl,
      ...(a.allowedAudiences.length > 0 && { allowedAudience: a.allowedAudiences }),
      ...(a.allowedClients.length > 0 && { allowedClients: a.allowedClients }),
      ...(a.allowedScopes.length > 0 && { allowedScopes: a.allowedScopes }),
      ...(a.customClaims.length > 0 && { customClaims: a.customClaims }),
    },
  });
}

/** The region of an AgentCore runtime ARN. */
export function runtimeRegion(runtimeArn: string): string {
  return runtimeArn.split(":")[3] ?? "";
}

/**
 * The MCP server container's environment (see apps/mcp-server/src/config.ts): the port AgentCore
 * expects, the auth mode and the same issuer settings as the runtime's authorizer, so `jwt` mode
 * verifies exactly what AgentCore verifies.
 */
export function mcpServerEnvironment(stage: StageConfig): Record<string, string> {
  const authorizer = customJwtAuthorizer(stage);
  const env: Record<string, string> = {
    PORT: String(MCP_CONTAINER_PORT),
    MCP_AUTH: stage.mcpServer.containerAuth,
    AUTH_DISCOVERY_URL: authorizer.discoveryUrl,
    AUTH_ALLOWED_AUDIENCES: authorizer.allowedAudiences.join(","),
    // The Host header AgentCore's platform sends to the container is not documented, so the server's
    // Host/Origin guard (against DNS rebinding, which cannot reach a runtime that is only reachable
    // through AgentCore's authorizer) is turned off explicitly here.
    MCP_ALLOWED_HOSTS: "*",
  };
  if (authorizer.allowedClients.length > 0) env.AUTH_ALLOWED_CLIENTS = authorizer.allowedClients.join(",");
  if (authorizer.allowedScopes.length > 0) env.AUTH_ALLOWED_SCOPES = authorizer.allowedScopes.join(",");
  if (authorizer.customClaims.length > 0) env.AUTH_CUSTOM_CLAIMS = JSON.stringify(authorizer.customClaims);
  // AgentCore's platform health-probes POST /mcp without a token (reported by users; the source
  // address is not documented): a jwt-mode container answers that MCP ping, and nothing else, unauthenticated.
  if (stage.mcpServer.containerAuth === "jwt") env.MCP_ALLOW_UNAUTHENTICATED_PING = "any";
  return env;
}

/**
 * Request headers AgentCore forwards to the container beyond its defaults. In `jwt` mode the container
 * must see `Authorization` to verify it; in `agentcore` mode nothing extra is forwarded.
 */
export function requestHeaderAllowlist(stage: StageConfig): string[] {
  return stage.mcpServer.containerAuth === "jwt" ? ["Authorization"] : [];
}

/**
 * The HTTPS URL MCP clients call:
 * `https://bedrock-agentcore.<region>.amazonaws.com/runtimes/<url-encoded ARN>/invocations?qualifier=DEFAULT`.
 *
 * @param region The runtime's region.
 * @param runtimeArn The runtime ARN (`arn:aws:bedrock-agentcore:<region>:<account>:runtime/<id>`).
 * @param qualifier Endpoint name; default `DEFAULT`.
 */
export function agentRuntimeInvocationUrl(region: string, runtimeArn: string, qualifier = "DEFAULT"): string {
  return `https://bedrock-agentcore.${region}.amazonaws.com/runtimes/${encodeURIComponent(runtimeArn)}/invocations?qualifier=${encodeURIComponent(qualifier)}`;
}
