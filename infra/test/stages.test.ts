import { isPrincipalAllowed } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { checkBrokerConfig } from "../lib/brokerConfig.js";
import { parseStageConfig, type StageConfigInput } from "../lib/stageConfig.js";
import { isProductionStage, loadStage, STAGES, stageTarget, visibleConfigError } from "../stages.js";

/** An example stage with its placeholder client id filled in, as a user would. */
function filledIn(name: keyof typeof STAGES) {
  const input = STAGES[name] as StageConfigInput;
  return parseStageConfig(name, { ...input, auth0: { ...input.auth0, clientId: "AbCdEf0123456789" } });
}

describe("infra/stages.ts", () => {
  it.each(Object.keys(STAGES))(
    "example stage %s is refused until its placeholder client id is replaced",
    (name) => {
      expect(() => loadStage(name)).toThrow(`stages.${name}.auth0.clientId: still the example placeholder`);
    },
  );

  it.each(Object.keys(STAGES))(
    "example stage %s, filled in, is valid and yields a broker configuration",
    (name) => {
      const stage = filledIn(name as keyof typeof STAGES);
      expect(checkBrokerConfig(stage, { name: "mcp-token", stage: name }).profiles).toHaveProperty("default");
    },
  );

  it("admits an SSO session of the example permission set through its role pattern", () => {
    const allow = filledIn("prod").broker.profiles.default?.allow ?? [];
    expect(
      isPrincipalAllowed(
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_0a1b2c3d4e5f6a7b/alice",
        allow,
      ),
    ).toBe(true);
    expect(
      isPrincipalAllowed(
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b/alice",
        allow,
      ),
    ).toBe(false);
  });

  it("treats prod and production as production stages, and nothing else", () => {
    expect(["prod", "production", "dev", "prod-eu", "alice"].map(isProductionStage)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe("stageTarget", () => {
  it("reads region and account of a known stage without validating", () => {
    expect(stageTarget("prod")).toEqual({ region: "us-west-2", accountId: "123456789012" });
  });

  it("is undefined for an unknown stage or an inherited property", () => {
    expect(stageTarget("alice")).toBeUndefined();
    expect(stageTarget("toString")).toBeUndefined();
  });
});

describe("visibleConfigError", () => {
  it("renames configuration errors so the SST CLI shows their message", () => {
    // Prepare
    let error: unknown;
    try {
      loadStage("staging");
    } catch (e) {
      error = e;
    }

    // Act
    const visible = visibleConfigError(error) as Error;

    // Assess
    expect(visible.name).toBe("VisibleError");
    expect(visible.message).toBe(
      "Invalid stage configuration (infra/stages.ts) (1 issue): stages.staging: unknown stage; add it to infra/stages.ts or deploy one of: dev, prod",
    );
    expect(visible.cause).toBe(error);
  });

  it("passes other errors through unchanged", () => {
    const other = new TypeError("x");
    expect(visibleConfigError(other)).toBe(other);
  });
});
