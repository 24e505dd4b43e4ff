import { BrokerError } from "@mcp-token/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runAgent } from "../../examples/agent.js";
import { createTokenSource } from "../../src/tokenSource/createTokenSource.js";
import { startLocalStack } from "./localStack.js";

describe("End to end: the library against the real broker and MCP server", () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  beforeAll(async () => {
    stack = await startLocalStack();
    // The client side reads AWS profiles through the standard chain, as on a laptop.
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", stack.aws.credentialsFile);
    vi.stubEnv("AWS_CONFIG_FILE", stack.aws.configFile);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.close();
  });

  it("runs the example agent (examples/agent.ts): MCP SDK v2 client, token from the broker via an AWS profile", async () => {
    const result = await runAgent({
      brokerUrl: stack.broker.url,
      mcpUrl: stack.mcpUrl,
      awsProfile: "agent",
      region: stack.broker.region,
    });
    expect(result).toEqual({ tools: ["add", "whoami"], sum: 42 });
  });

  it("gets an access_denied BrokerError with the broker's request id for a principal not in the allow list", async () => {
    const source = createTokenSource({
      brokerUrl: stack.broker.url,
      region: stack.broker.region,
      awsProfile: "outsider",
    });
    const error = await source.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: "access_denied", status: 403, requestId: expect.any(String) });
  });

  it("whoami and listProfiles answer for an allowed principal", async () => {
    const source = createTokenSource({
      brokerUrl: stack.broker.url,
      region: stack.broker.region,
      awsProfile: "agent",
    });
    await expect(source.broker.whoami()).resolves.toMatchObject({ principal: stack.ids.agent.principalArn });
    await expect(source.broker.listProfiles()).resolves.toMatchObject({ profiles: [{ name: "default" }] });
  });
});
