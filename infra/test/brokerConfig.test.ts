import { ConfigError, parseBrokerConfig } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import {
  brokerConfigJson,
  brokerConfigPlacement,
  buildBrokerConfig,
  checkBrokerConfig,
} from "../lib/brokerConfig.js";
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
    expect(buildBrokerConfig(stage, { auth0: SECRET_ARN }).profiles.people?.identity).toBe("caller");
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
    const config = buildBrokerConfig(stage, { auth0: SECRET_ARN });

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
    const json = brokerConfigJson(stage, { auth0: SECRET_ARN });
    expect(parseBrokerConfig(json)).toEqual(JSON.parse(json));
  });

  it("keeps a configuration in the environment while it fits, moves it to SSM beyond, and refuses past 8 KB", () => {
    const stageWith = (roles: number) =>
      parseStageConfig(
        "prod",
        stageInput({
          broker: {
            profiles: {
              default: {
                allow: Array.from(
                  { length: roles },
                  (_, i) => `arn:aws:iam::111122223333:role/some-team/agent-role-${i}`,
                ),
              },
            },
          },
        }),
      );
    const placement = (roles: number) =>
      brokerConfigPlacement(buildBrokerConfig(stageWith(roles), { auth0: SECRET_ARN }));
    expect(placement(1)).toEqual({ where: "env" });
    expect(placement(60)).toEqual({ where: "ssm", tier: "Standard" });
    expect(placement(120)).toEqual({ where: "ssm", tier: "Advanced" });
    expect(() => placement(190)).toThrow(ConfigError);
    expect(() => placement(190)).toThrow(
      /broker\.profiles: the broker configuration is \d+ bytes, over the 8192 bytes/,
    );
    expect(() => checkBrokerConfig(stageWith(190), { name: "mcp-token", stage: "prod" })).toThrow(
      ConfigError,
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
