import { describe, expect, it } from "vitest";
import { resolveBrokerOptions } from "../../src/options/broker.js";

const FN = "https://abc123.lambda-url.eu-west-1.on.aws/";

describe("Function: resolveBrokerOptions", () => {
  it("prefers flags to environment variables to defaults", () => {
    const env = {
      MCP_TOKEN_BROKER_URL: "https://env.lambda-url.us-east-1.on.aws/",
      MCP_TOKEN_PROFILE: "envprof",
      AWS_PROFILE: "envaws",
    };
    expect(
      resolveBrokerOptions(
        {
          values: {
            broker: FN,
            profile: "flagprof",
            "aws-profile": "flagaws",
            scope: ["b a", "c"],
            "min-ttl": "60",
          },
          positionals: [],
        },
        env,
        "get",
      ),
    ).toEqual({
      source: "broker",
      audiences: [],
      stsEndpoint: undefined,
      brokerUrl: FN,
      profile: "flagprof",
      awsProfile: "flagaws",
      scopes: ["b", "a", "c"],
      region: undefined,
      minTtlSeconds: 60,
      cache: true,
    });
    expect(resolveBrokerOptions({ values: {}, positionals: [] }, env, "get")).toMatchObject({
      brokerUrl: env.MCP_TOKEN_BROKER_URL,
      profile: "envprof",
      awsProfile: "envaws",
      minTtlSeconds: 300,
    });
    expect(resolveBrokerOptions({ values: { broker: FN }, positionals: [] }, {}, "get")).toMatchObject({
      profile: "default",
      awsProfile: undefined,
    });
  });

  it("derives the region from a Function URL host even when AWS_REGION differs, and uses AWS_REGION otherwise", () => {
    expect(
      resolveBrokerOptions({ values: { broker: FN }, positionals: [] }, { AWS_REGION: "us-east-1" }, "get")
        .region,
    ).toBeUndefined();
    expect(
      resolveBrokerOptions(
        { values: { broker: "http://127.0.0.1:9000" }, positionals: [] },
        { AWS_REGION: "us-east-1" },
        "get",
      ).region,
    ).toBe("us-east-1");
    expect(
      resolveBrokerOptions({ values: { broker: FN, region: "ap-south-1" }, positionals: [] }, {}, "get")
        .region,
    ).toBe("ap-south-1");
  });

  it("--no-cache turns the disk cache off", () => {
    expect(
      resolveBrokerOptions({ values: { broker: FN, "no-cache": true }, positionals: [] }, {}, "get").cache,
    ).toBe(false);
  });
});
