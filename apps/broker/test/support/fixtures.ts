/** Shared test data: client secrets, identities, audiences and a config builder. */
import { defaultIdentities, type StartIssuerOptions } from "@mcp-token/testkit";
import type { CallerIdentity } from "../../src/authorize.js";
import { recordSensitive } from "./logs.js";

export const ACCOUNT = "123456789012";
export const identities = defaultIdentities({ accountId: ACCOUNT });

/** Every client secret used anywhere in the suite (the log audit searches for each). */
export const SECRETS = {
  default: "dflt-secret-0123456789-abcdefghijklmnop",
  agents: "agnt-secret-0123456789-qrstuvwxyzABCDEF",
  rotated: "rotd-secret-9876543210-GHIJKLMNOPQRSTUV",
  rotatedAgain: "rot2-secret-5555555555-WXYZabcdefghijkl",
} as const;
recordSensitive(...Object.values(SECRETS));

export const CLIENTS = { default: "broker-default-client", agents: "broker-agents-client" } as const;
export const AUDIENCES = { mcp: "https://mcp.example.test/", tools: "https://tools.example.test/" } as const;

export const DEVELOPER_ROLE_PATTERN = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Developer_*/*`;
export const AGENT_ROLE = `arn:aws:iam::${ACCOUNT}:role/mcp-agent`;

/** The IAM context the Function URL would report for a testkit identity. */
export function iamOf(identity: {
  principalArn: string;
  accountId: string;
  accessKeyId: string;
  userId?: string;
}): CallerIdentity {
  return {
    userArn: identity.principalArn,
    accountId: identity.accountId,
    accessKey: identity.accessKeyId,
    userId: identity.userId ?? "AIDAEXAMPLE",
    callerId: identity.userId ?? "AIDAEXAMPLE",
    principalOrgId: "o-example",
  };
}

/** Profiles of the standard test configuration. */
export function brokerConfigDoc(opts: {
  issuer: string;
  defaultSecretId: string;
  agentsSecretId: string;
}): Record<string, unknown> {
  return {
    profiles: {
      // RFC 9068 tokens, Auth0 request style; developers (SSO role sessions) and the agent role.
      default: {
        issuer: opts.issuer,
        audience: AUDIENCES.mcp,
        secretId: opts.defaultSecretId,
        scopes: ["invoke", "read"],
        requestStyle: "auth0",
        allow: [DEVELOPER_ROLE_PATTERN, AGENT_ROLE],
        minTtlSeconds: 300,
      },
      // Auth0-profile tokens, OAuth 2.0 request style (discovery, form body, resource); the agent only.
      agents: {
        issuer: opts.issuer,
        audience: AUDIENCES.tools,
        secretId: opts.agentsSecretId,
        scopes: ["tools:call"],
        requestStyle: "oauth2",
        allow: [AGENT_ROLE],
        minTtlSeconds: 60,
      },
    },
  };
}

/** Issuer APIs and clients matching {@link brokerConfigDoc}. */
export function issuerSetup(ttlSeconds = 3600): StartIssuerOptions {
  return {
    apis: [
      { audience: AUDIENCES.mcp, profile: "rfc9068", ttlSeconds, scopes: ["invoke", "read"] },
      { audience: AUDIENCES.tools, profile: "auth0", ttlSeconds, scopes: ["tools:call"] },
    ],
    clients: [
      {
        clientId: CLIENTS.default,
        clientSecret: SECRETS.default,
        grants: { [AUDIENCES.mcp]: ["invoke", "read"] },
      },
      {
        clientId: CLIENTS.agents,
        clientSecret: SECRETS.agents,
        grants: { [AUDIENCES.tools]: ["tools:call"] },
      },
    ],
  };
}
