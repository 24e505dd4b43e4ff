import { ConfigError } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { parseStageConfig, selectStage } from "../lib/stageConfig.js";
import { SECRET_ARN, stageInput } from "./fixtures.js";

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
}

describe("parseStageConfig", () => {
  it("applies the documented defaults to a minimal stage", () => {
    // Act
    const stage = parseStageConfig("prod", stageInput());

    // Assess
    expect(stage.broker).toEqual({
      memoryMb: 512,
      timeoutSeconds: 15,
      profiles: {
        default: { scopes: [], allow: ["arn:aws:iam::111122223333:role/mcp-agent"], minTtlSeconds: 300 },
      },
    });
    expect(stage.secret).toEqual({});
    expect(stage.invoke).toEqual({ crossAccountPrincipals: [] });
    expect(stage.mcpServer).toEqual({ mode: "demo", containerAuth: "agentcore", trust: "auth0" });
  });

  it("validates AWS-native token settings with full paths", () => {
    expect(
      issuesOf(() => parseStageConfig("prod", stageInput({ mcpServer: { trust: "aws-outbound" } }))),
    ).toEqual([
      { path: "stages.prod.mcpServer.trust", message: expect.stringContaining("needs awsOutboundIdentity") },
    ]);
    expect(
      issuesOf(() =>
        parseStageConfig(
          "prod",
          stageInput({
            awsOutboundIdentity: { issuer: "http://abc.tokens.sts.global.api.aws/path", audiences: [] },
            mcpServer: { trust: "aws-outbound", allowedClients: ["x"] },
          }),
        ),
      ).map((i) => i.path),
    ).toEqual([
      "stages.prod.awsOutboundIdentity.issuer",
      "stages.prod.awsOutboundIdentity.audiences",
      "stages.prod.mcpServer.allowedClients",
    ]);
    const stage = parseStageConfig(
      "prod",
      stageInput({
        awsOutboundIdentity: {
          issuer: "https://abc.tokens.sts.global.api.aws/",
          audiences: ["https://mcp/"],
        },
      }),
    );
    expect(stage.awsOutboundIdentity).toEqual({
      issuer: "https://abc.tokens.sts.global.api.aws",
      audiences: ["https://mcp/"],
      maxDurationSeconds: 900,
    });
  });

  it("rejects a misspelt key with its full path", () => {
    // Prepare
    const input = stageInput({
      broker: { profiles: { default: { alow: ["x"], allow: ["arn:aws:iam::111122223333:role/a"] } } },
    } as never);

    // Act + Assess
    expect(issuesOf(() => parseStageConfig("prod", input))).toEqual([
      { path: "stages.prod.broker.profiles.default.alow", message: "unknown key" },
    ]);
  });

  it("names the allow pattern at fault, with core's explanation", () => {
    // Prepare
    const input = stageInput({
      broker: {
        profiles: {
          default: { allow: ["arn:aws:iam::111122223333:role/ok", "arn:aws:iam::12345678901*:role/Dev"] },
        },
      },
    });

    // Act
    const issues = issuesOf(() => parseStageConfig("prod", input));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("stages.prod.broker.profiles.default.allow[1]");
    expect(issues[0]?.message).toContain("the account id must be 12 literal digits");
  });

  it("puts the stage and field in the error message", () => {
    const input = stageInput({ region: "us-west" });
    expect(() => parseStageConfig("prod", input)).toThrow(
      "stages.prod.region: expected an AWS region such as us-west-2",
    );
  });

  it.each([
    ["https://acme.us.auth0.com", "a scheme"],
    ["acme.us.auth0.com/", "a trailing slash"],
    ["Acme.us.auth0.com", "upper case"],
  ])("rejects the Auth0 domain %s (%s)", (domain) => {
    const input = stageInput({ auth0: { ...stageInput().auth0!, domain } });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.auth0.domain",
    ]);
  });

  it("rejects an invalid profile name", () => {
    const input = stageInput({
      broker: { profiles: { "bad name": { allow: ["arn:aws:iam::111122223333:role/a"] } } },
    });
    expect(issuesOf(() => parseStageConfig("prod", input))[0]?.path).toMatch(
      /^stages\.prod\.broker\.profiles/,
    );
  });

  it("requires at least one profile", () => {
    const input = stageInput({ broker: { profiles: {} } });
    expect(issuesOf(() => parseStageConfig("prod", input))).toEqual([
      { path: "stages.prod.broker.profiles", message: "expected at least one profile" },
    ]);
  });

  it("refuses allowedClients with the auth0 token profile, which has no client_id claim", () => {
    // Prepare
    const input = stageInput({
      auth0: { ...stageInput().auth0!, tokenProfile: "auth0" },
      mcpServer: { allowedClients: ["M2mClientId123"] },
    });

    // Act
    const issues = issuesOf(() => parseStageConfig("prod", input));

    // Assess
    expect(issues.map((i) => i.path)).toEqual(["stages.prod.mcpServer.allowedClients"]);
    expect(issues[0]?.message).toContain('set auth0.tokenProfile to "rfc9068"');
  });

  it("refuses an authorizer that would accept any token of the tenant", () => {
    const input = stageInput({ mcpServer: { allowedAudiences: [], allowedClients: [] } });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.mcpServer.allowedAudiences",
    ]);
  });

  it("accepts an existing secret ARN in the stage's region", () => {
    const stage = parseStageConfig("prod", stageInput({ secret: { arn: SECRET_ARN } }));
    expect(stage.secret.arn).toBe(SECRET_ARN);
  });

  it("refuses an existing secret in another region", () => {
    const input = stageInput({ secret: { arn: SECRET_ARN.replace("us-west-2", "eu-west-1") } });
    const issues = issuesOf(() => parseStageConfig("prod", input));
    expect(issues.map((i) => i.path)).toEqual(["stages.prod.secret.arn"]);
    expect(issues[0]?.message).toContain("the secret is in eu-west-1 but the stage deploys to us-west-2");
  });

  it("refuses a partial secret ARN (without the 6-character suffix)", () => {
    const input = stageInput({
      secret: { arn: "arn:aws:secretsmanager:us-west-2:111122223333:secret:mcp-token" },
    });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.secret.arn",
    ]);
  });

  it("refuses a KMS key without an existing secret", () => {
    const input = stageInput({
      secret: { kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" },
    });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.secret.kmsKeyArn",
    ]);
  });

  it("accepts cross-account principals as account ids or role ARNs, and nothing else", () => {
    // Prepare
    const ok = ["444455556666", "arn:aws:iam::444455556666:role/agents/ci"];
    const input = stageInput({
      invoke: { crossAccountPrincipals: [...ok, "arn:aws:iam::444455556666:user/bob"] },
    });

    // Act + Assess
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.invoke.crossAccountPrincipals[2]",
    ]);
    expect(parseStageConfig("prod", stageInput({ invoke: { crossAccountPrincipals: ok } })).invoke).toEqual({
      crossAccountPrincipals: ok,
    });
  });

  it("rejects a timeout shorter than the broker's upstream deadline", () => {
    const input = stageInput({ broker: { ...stageInput().broker, timeoutSeconds: 3 } });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.broker.timeoutSeconds",
    ]);
  });

  it("reports every problem at once", () => {
    const input = stageInput({ region: "mars", accountId: "42" });
    expect(issuesOf(() => parseStageConfig("prod", input)).map((i) => i.path)).toEqual([
      "stages.prod.region",
      "stages.prod.accountId",
    ]);
  });
});

describe("selectStage", () => {
  it("names the known stages when asked for an unknown one", () => {
    expect(() => selectStage({ dev: stageInput(), prod: stageInput() }, "staging")).toThrow(
      "stages.staging: unknown stage; add it to infra/stages.ts or deploy one of: dev, prod",
    );
  });

  it("does not treat inherited properties as stages", () => {
    expect(() => selectStage({}, "toString")).toThrow(ConfigError);
  });
});

describe("placeholders (issue 16)", () => {
  it("refuses the example client id with a message that says where the real one is", () => {
    expect(() =>
      parseStageConfig("prod", {
        ...stageInput(),
        auth0: { ...stageInput().auth0!, clientId: "REPLACE_WITH_M2M_CLIENT_ID" },
      }),
    ).toThrow(
      /stages\.prod\.auth0\.clientId: still the example placeholder; put the client id of your Auth0/,
    );
  });
});

describe("mcpServer.mode (issue 16)", () => {
  const withMcp = (mcpServer: Record<string, unknown>) => () =>
    parseStageConfig("prod", stageInput({ mcpServer } as never));

  it("defaults to the demo server", () => {
    expect(parseStageConfig("prod", stageInput()).mcpServer.mode).toBe("demo");
  });

  it("needs a runtime ARN with existing, and an image with image, naming the path", () => {
    expect(withMcp({ mode: "existing" })).toThrow(
      /stages\.prod\.mcpServer\.runtimeArn: required with mode "existing"/,
    );
    expect(withMcp({ mode: "image" })).toThrow(/stages\.prod\.mcpServer\.image: required with mode "image"/);
    expect(
      withMcp({
        mode: "none",
        runtimeArn: "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/x-AbCdEf1234",
      }),
    ).toThrow(/mcpServer\.runtimeArn: only valid with mode "existing"/);
    expect(
      withMcp({ mode: "existing", runtimeArn: "arn:aws:lambda:us-west-2:123456789012:function:f" }),
    ).toThrow(/mcpServer\.runtimeArn: expected an AgentCore runtime ARN/);
    expect(withMcp({ mode: "image", image: { uri: "docker.io/library/nginx:latest" } })).toThrow(
      /mcpServer\.image/,
    );
  });

  it("accepts each mode with what it needs", () => {
    expect(withMcp({ mode: "none" })).not.toThrow();
    expect(
      withMcp({
        mode: "existing",
        runtimeArn: "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/my_srv-AbCdEf1234",
      }),
    ).not.toThrow();
    expect(withMcp({ mode: "image", image: { dockerfile: "server/Dockerfile" } })).not.toThrow();
  });
});
