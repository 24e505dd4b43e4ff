import type { StageConfigInput } from "../lib/stageConfig.js";

/** A complete, valid stage configuration for tests; override fields per test. */
export function stageInput(overrides: Partial<StageConfigInput> = {}): StageConfigInput {
  return {
    region: "us-west-2",
    accountId: "111122223333",
    auth0: {
      domain: "acme.us.auth0.com",
      audience: "https://mcp.acme.example/",
      clientId: "M2mClientId123",
      tokenProfile: "rfc9068",
    },
    broker: {
      profiles: {
        default: { allow: ["arn:aws:iam::111122223333:role/mcp-agent"] },
      },
    },
    ...overrides,
  };
}

export const SECRET_ARN =
  "arn:aws:secretsmanager:us-west-2:111122223333:secret:mcp-token/prod/auth0-m2m-AbCdEf";
export const TABLE_ARN = "arn:aws:dynamodb:us-west-2:111122223333:table/mcp-token-prod-TokenCache";
export const FUNCTION_ARN = "arn:aws:lambda:us-west-2:111122223333:function:mcp-token-prod-BrokerFunction";
