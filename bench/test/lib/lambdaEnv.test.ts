import { describe, expect, it } from "vitest";
import { lambdaEnvironment } from "../../src/lib/lambdaEnv.js";

describe("lambdaEnvironment", () => {
  it("sets what the broker and Powertools read to decide they run in Lambda", () => {
    const env = lambdaEnvironment({ region: "us-west-2" });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: "mcp-token-broker",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_REGION: "us-west-2",
      AWS_DEFAULT_REGION: "us-west-2",
      _HANDLER: "handler.handler",
      TZ: ":UTC",
    });
    expect(env._X_AMZN_TRACE_ID).toBeUndefined();
  });

  it("lets the function's own variables and the SDK settings win", () => {
    const env = lambdaEnvironment({
      region: "us-west-2",
      functionName: "broker-dev",
      memoryMb: 1024,
      extra: { MCP_TOKEN_BROKER_CONFIG: "{}", AWS_REGION: "eu-west-1" },
    });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: "broker-dev",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/broker-dev",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
      MCP_TOKEN_BROKER_CONFIG: "{}",
      AWS_REGION: "eu-west-1",
    });
  });
});
