/**
 * The stage's token issuers, resolved once: the primary `auth0` block (issuer name `auth0`) and every
 * entry of `issuers` (Auth0 tenants, Amazon Cognito user pools, other OAuth 2.0 servers), each with
 * what the broker needs to ask it for tokens and what an AgentCore authorizer needs to trust it.
 */
import type { StageConfig } from "./stageConfig.js";

/** One issuer as the broker and the runtime's authorizer see it. */
export interface ResolvedIssuer {
  name: string;
  kind: "auth0" | "cognito" | "oauth2";
  /** The broker profile's `issuer` (the `iss` of its tokens, normalised by the broker). */
  issuerUrl: string;
  /** OIDC discovery document (what an AgentCore authorizer's `discoveryUrl` takes). */
  discoveryUrl: string;
  requestStyle: "auth0" | "oauth2" | "cognito";
  /** Default audience of its profiles (for Cognito, the resource server identifier). */
  defaultAudience: string;
  /** The client id its secret must hold, when known. */
  clientId?: string;
  /** Auth0 token profile (`rfc9068` puts `client_id` in tokens). */
  tokenProfile?: "rfc9068" | "auth0";
  /** Origins besides the issuer's its token endpoint has (Cognito: the user pool domain). */
  tokenEndpointOrigins: string[];
  /** Its client credentials secret. */
  secret: StageConfig["secret"];
}

/** Every issuer of the stage by name, the primary `auth0` first. */
export function stageIssuers(stage: StageConfig): Map<string, ResolvedIssuer> {
  const issuers = new Map<string, ResolvedIssuer>();
  if (stage.auth0) {
    issuers.set("auth0", {
      name: "auth0",
      kind: "auth0",
      issuerUrl: `https://${stage.auth0.domain}/`,
      discoveryUrl: `https://${stage.auth0.domain}/.well-known/openid-configuration`,
      requestStyle: "auth0",
      defaultAudience: stage.auth0.audience,
      clientId: stage.auth0.clientId,
      tokenProfile: stage.auth0.tokenProfile,
      tokenEndpointOrigins: [],
      secret: stage.secret,
    });
  }
  for (const [name, issuer] of Object.entries(stage.issuers)) {
    if (issuer.kind === "auth0") {
      issuers.set(name, {
        name,
        kind: "auth0",
        issuerUrl: `https://${issuer.domain}/`,
        discoveryUrl: `https://${issuer.domain}/.well-known/openid-configuration`,
        requestStyle: "auth0",
        defaultAudience: issuer.audience,
        clientId: issuer.clientId,
        tokenProfile: issuer.tokenProfile,
        tokenEndpointOrigins: [],
        secret: issuer.secret,
      });
    } else if (issuer.kind === "cognito") {
      const region = issuer.userPoolId.split("_")[0] as string;
      const issuerUrl = `https://cognito-idp.${region}.amazonaws.com/${issuer.userPoolId}`;
      issuers.set(name, {
        name,
        kind: "cognito",
        issuerUrl,
        discoveryUrl: `${issuerUrl}/.well-known/openid-configuration`,
        requestStyle: "cognito",
        defaultAudience: issuer.resourceServer,
        clientId: issuer.clientId,
        tokenEndpointOrigins: [`https://${issuer.domain}`],
        secret: issuer.secret,
      });
    } else {
      const issuerUrl = issuer.issuer.replace(/\/$/, "");
      issuers.set(name, {
        name,
        kind: "oauth2",
        issuerUrl: `${issuerUrl}/`,
        discoveryUrl: `${issuerUrl}/.well-known/openid-configuration`,
        requestStyle: "oauth2",
        defaultAudience: issuer.audience,
        ...(issuer.clientId !== undefined && { clientId: issuer.clientId }),
        tokenEndpointOrigins: issuer.tokenEndpointOrigins,
        secret: issuer.secret,
      });
    }
  }
  return issuers;
}
