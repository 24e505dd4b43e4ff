import { createServer } from "node:net";
import { BrokerError } from "@mcp-token/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrokerClient } from "../../src/broker/brokerClient.js";
import { BrokerConnectionError } from "../../src/errors/brokerConnectionError.js";
import { CredentialsError } from "../../src/errors/credentialsError.js";
import { credentialsOf, startFakeBroker } from "../helpers/fakeBroker.js";

describe("Function: createBrokerClient", () => {
  let broker: Awaited<ReturnType<typeof startFakeBroker>>;
  beforeAll(async () => {
    broker = await startFakeBroker();
  });
  afterAll(async () => {
    await broker.close();
  });
  const client = (overrides: Partial<Parameters<typeof createBrokerClient>[0]> = {}) =>
    createBrokerClient({
      brokerUrl: broker.url,
      region: broker.region,
      credentials: credentialsOf(broker.ids.developer),
      ...overrides,
    });

  it("signs token requests with SigV4 that the Function URL emulator accepts, as the caller's principal", async () => {
    // Act
    const token = await client().requestToken({ profile: "default", scopes: ["invoke"], minTtlSeconds: 60 });
    // Assess
    expect(token).toMatchObject({ token_type: "Bearer", profile: "default" });
    const last = broker.seen.at(-1);
    expect(last).toMatchObject({
      method: "POST",
      path: "/v1/token",
      body: { profile: "default", scopes: ["invoke"], minTtlSeconds: 60 },
      principal: broker.ids.developer.principalArn,
    });
  });

  it("calls whoami and profiles with signed GET requests", async () => {
    const c = client({ credentials: credentialsOf(broker.ids.agent) });
    await expect(c.whoami()).resolves.toMatchObject({ principal: broker.ids.agent.principalArn });
    await expect(c.listProfiles()).resolves.toEqual({
      profiles: [{ name: "default", audience: "https://mcp.example.com/", scopes: [] }],
    });
  });

  it("requires a region for hosts that are not Function URLs, naming the option", () => {
    expect(() =>
      createBrokerClient({ brokerUrl: broker.url, credentials: credentialsOf(broker.ids.agent) }),
    ).toThrow(
      expect.objectContaining({
        name: "TypeError",
        code: "ERR_INVALID_ARG_VALUE",
        message: expect.stringMatching(/^"region" is required/),
      }),
    );
  });

  it("derives the region from a Function URL host", () => {
    const c = createBrokerClient({
      brokerUrl: "https://abcdef123456.lambda-url.eu-central-1.on.aws",
      credentials: credentialsOf(broker.ids.agent),
    });
    expect(c.region).toBe("eu-central-1");
    expect(c.url).toBe("https://abcdef123456.lambda-url.eu-central-1.on.aws/");
  });

  it("rejects non-https broker URLs except on loopback", () => {
    expect(() => createBrokerClient({ brokerUrl: "http://broker.example.com", region: "us-west-2" })).toThrow(
      /"brokerUrl" must be an https: URL/,
    );
  });

  it("turns a Function URL rejection of unknown credentials into a CredentialsError naming the fix", async () => {
    const c = client({ credentials: credentialsOf(broker.ids.outsider), awsProfile: "outsider" });
    const error = await c.requestToken({ profile: "default" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      code: "ERR_AWS_CREDENTIALS_INVALID",
      message: expect.stringContaining("aws sso login --profile outsider"),
    });
  });

  it("turns a signature for the wrong region into an error that names --region", async () => {
    const error = await client({ region: "eu-west-1" })
      .whoami()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: "unauthorized", message: expect.stringContaining("--region") });
  });

  it("decodes broker error bodies into BrokerError with code, status and request id", async () => {
    broker.respond(() => ({
      status: 403,
      body: {
        error: "access_denied",
        error_description: "not in profiles.default.allow",
        request_id: "req-42",
      },
    }));
    try {
      const error = await client()
        .requestToken({ profile: "default" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({
        code: "access_denied",
        status: 403,
        requestId: "req-42",
        message: "not in profiles.default.allow",
      });
    } finally {
      broker.respond(undefined);
    }
  });

  it("refuses a token response larger than 64 KiB", async () => {
    broker.respond(() => ({ status: 200, body: { access_token: "x".repeat(70 * 1024) } }));
    try {
      await expect(client().requestToken({ profile: "default" })).rejects.toMatchObject({
        code: "internal_error",
        message: expect.stringContaining("larger than 65536 bytes"),
      });
    } finally {
      broker.respond(undefined);
    }
  });

  it("refuses a response that is not a token response", async () => {
    broker.respond(() => ({ status: 200, body: { access_token: "abc", token_type: "mac" } }));
    try {
      await expect(client().requestToken({ profile: "default" })).rejects.toMatchObject({
        code: "internal_error",
        message: expect.stringContaining("unexpected shape"),
      });
    } finally {
      broker.respond(undefined);
    }
  });

  it("reports an unreachable broker as BrokerConnectionError", async () => {
    const c = client({ brokerUrl: await closedPortUrl() });
    const error = await c.whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerConnectionError);
    expect(error).toMatchObject({
      code: "ERR_BROKER_UNREACHABLE",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
