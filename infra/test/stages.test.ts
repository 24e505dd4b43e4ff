import { isPrincipalAllowed } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { checkBrokerConfig } from "../lib/brokerConfig.js";
import { isProductionStage, loadStage, STAGES } from "../stages.js";

describe("infra/stages.ts", () => {
  it.each(Object.keys(STAGES))("stage %s is valid and yields a broker configuration", (name) => {
    const stage = loadStage(name);
    expect(checkBrokerConfig(stage, { name: "mcp-token", stage: name }).profiles).toHaveProperty("default");
  });

  it("admits an SSO session of the example permission set through its role pattern", () => {
    const allow = loadStage("prod").broker.profiles.default?.allow ?? [];
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
