import { ConfigError, parseBrokerConfig } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { brokerConfigJson, buildBrokerConfig, checkBrokerConfig } from "../lib/brokerConfig.js";
import { parseStageConfig } from "../lib/stageConfig.js";
import { SECRET_ARN, stageInput } from "./fixtures.js";

describe("buildBrokerConfig", () => {
  it("passes a profile's identity mode through to the broker", () => {
    const stage = parseStageConfig(
      "prod",
      stageInput({
        broker: {
          profiles: { people: { identity: "caller", allow: ["arn:aws:iam::111122223333:role/mcp-agent"] } },
        },
      }),
    );
    expect(buildBrokerConfig(stage, SECRET_ARN).profiles.people?.identity).toBe("caller");
  });

  it("builds exactly the broker document from the stage", () => {
    // Prepare
    const stage = parseStageConfig(
      "prod",
      stageInput({
        broker: {
          profiles: {
            default: { allow: ["arn:aws:iam::111122223333:role/mcp-agent"] },
            admin: {
              audience: "https://admin.acme.example/",
              scopes: ["admin:read"],
              allow: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*"],
              minTtlSeconds: 600,
            },
          },
        },
      }),
    );

    // Act
    const config = buildBrokerConfig(stage, SECRET_ARN);

    // Assess
    expect(config).toEqual({
      profiles: {
        default: {
          issuer: "https://acme.us.auth0.com/",
          audience: "https://mcp.acme.example/",
          secretId: SECRET_ARN,
          scopes: [],
          requestStyle: "auth0",
          allow: ["arn:aws:iam::111122223333:role/mcp-agent"],
          minTtlSeconds: 300,
          expectedClientId: "M2mClientId123",
          allowCallerChosenNames: false,
          allowedTokenEndpointOrigins: [],
          identity: "shared",
        },
        admin: {
          issuer: "https://acme.us.auth0.com/",
          audience: "https://admin.acme.example/",
          secretId: SECRET_ARN,
          scopes: ["admin:read"],
          requestStyle: "auth0",
          allow: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*"],
          minTtlSeconds: 600,
          expectedClientId: "M2mClientId123",
          allowCallerChosenNames: false,
          allowedTokenEndpointOrigins: [],
          identity: "shared",
        },
      },
      issuanceBudget: { max: 60, windowSeconds: 3600 },
    });
  });

  it("produces JSON the broker's own parser accepts unchanged", () => {
    const stage = parseStageConfig("prod", stageInput());
    const json = brokerConfigJson(stage, SECRET_ARN);
    expect(parseBrokerConfig(json)).toEqual(JSON.parse(json));
  });

  it("refuses a configuration too large for the 4 KB Lambda environment", () => {
    // Prepare: 60 long role ARNs
    const allow = Array.from(
      { length: 60 },
      (_, i) => `arn:aws:iam::111122223333:role/some-team/agent-role-${i}`,
    );
    const stage = parseStageConfig("prod", stageInput({ broker: { profiles: { default: { allow } } } }));

    // Act + Assess
    expect(() => buildBrokerConfig(stage, SECRET_ARN)).toThrow(ConfigError);
    expect(() => buildBrokerConfig(stage, SECRET_ARN)).toThrow(
      /broker\.profiles: the broker configuration is \d+ bytes/,
    );
  });
});

describe("checkBrokerConfig", () => {
  it("checks with the existing secret's ARN when there is one", () => {
    const stage = parseStageConfig("prod", stageInput({ secret: { arn: SECRET_ARN } }));
    expect(checkBrokerConfig(stage, { name: "mcp-token", stage: "prod" }).profiles.default?.secretId).toBe(
      SECRET_ARN,
    );
  });

  it("checks with a stand-in ARN at least as long as a created secret's", () => {
    const stage = parseStageConfig("prod", stageInput());
    const secretId = checkBrokerConfig(stage, { name: "mcp-token", stage: "prod" }).profiles.default
      ?.secretId;
    expect(secretId).toMatch(
      /^arn:aws:secretsmanager:us-west-2:111122223333:secret:mcp-token\/prod\/auth0-m2m-/,
    );
    // Prefix + Pulumi's 26-character random suffix + AWS's "-XXXXXX".
    expect(secretId?.length).toBeGreaterThanOrEqual(SECRET_ARN.length + 26);
  });
});
