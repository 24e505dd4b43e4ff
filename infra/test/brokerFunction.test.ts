import { describe, expect, it } from "vitest";
import { brokerFunctionSettings } from "../lib/brokerFunction.js";
import { parseStageConfig } from "../lib/stageConfig.js";
import { stageInput } from "./fixtures.js";

describe("brokerFunctionSettings", () => {
  it("is an arm64 Node 22 function behind an IAM Function URL without CORS", () => {
    expect(brokerFunctionSettings(parseStageConfig("prod", stageInput()))).toEqual({
      bundle: "apps/broker/dist",
      handler: "handler.handler",
      description: "mcp-token broker: short-lived Auth0 tokens for IAM principals",
      runtime: "nodejs22.x",
      architecture: "arm64",
      memory: "512 MB",
      timeout: "15 seconds",
      url: { authorization: "iam", cors: false },
      logging: { retention: "1 month", format: "json" },
    });
  });

  it("reserves concurrency only when the stage asks for it", () => {
    const stage = parseStageConfig(
      "prod",
      stageInput({
        broker: { ...stageInput().broker, reservedConcurrency: 20, memoryMb: 1024, timeoutSeconds: 20 },
      }),
    );
    expect(brokerFunctionSettings(stage)).toMatchObject({
      concurrency: { reserved: 20 },
      memory: "1024 MB",
      timeout: "20 seconds",
    });
  });
});
