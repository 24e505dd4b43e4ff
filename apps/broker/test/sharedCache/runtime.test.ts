/**
 * The production runtime picks the shared tier from the environment: DynamoDB on moto_server when
 * MCP_TOKEN_CACHE_TABLE is set (two runtimes = two instances sharing one token), memory only when it is
 * not, a clear configuration error for a bad value, and a fallback when the table is missing.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type LocalIssuer, type MotoServer, startIssuer, startMoto } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ENV, sharedCacheSettingsFromEnv } from "../../src/env.js";
import { createRuntime } from "../../src/lambda/runtime.js";
import { functionUrlEvent } from "../support/events.js";
import { issuerFetch, memorySecrets } from "../support/fakes.js";
import { brokerConfigDoc, CLIENTS, identities, issuerSetup, SECRETS } from "../support/fixtures.js";
import { recordingLogger, recordSensitive } from "../support/logs.js";
import { createCacheTable, dynamoClient, scanTable } from "../support/sharedTable.js";

let issuer: LocalIssuer;
let moto: MotoServer;
let ddb: DynamoDBClient;
const TABLE = "runtime-test-cache";
const secretIds = { defaultSecretId: "rt-shared/default", agentsSecretId: "rt-shared/agents" };

beforeAll(async () => {
  [issuer, moto] = await Promise.all([startIssuer(issuerSetup()), startMoto()]);
  ddb = dynamoClient(moto);
  await createCacheTable(ddb, TABLE);
  for (const [key, value] of Object.entries(moto.env())) vi.stubEnv(key, value);
  vi.stubEnv("AWS_SESSION_TOKEN", undefined);
  vi.stubEnv("AWS_PROFILE", undefined);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  ddb?.destroy();
  await Promise.allSettled([issuer?.close(), moto?.stop()]);
});

function runtime(extraEnv: Record<string, string>) {
  const logger = recordingLogger();
  const rt = createRuntime({
    env: { [ENV.config]: JSON.stringify(brokerConfigDoc({ issuer: issuer.url, ...secretIds })), ...extraEnv },
    logger,
    secrets: memorySecrets({
      [secretIds.defaultSecretId]: { clientId: CLIENTS.default, clientSecret: SECRETS.default },
      [secretIds.agentsSecretId]: { clientId: CLIENTS.agents, clientSecret: SECRETS.agents },
    }),
    fetch: issuerFetch(issuer),
  });
  return { ...rt, logger };
}

const event = () =>
  functionUrlEvent(identities.developer, {
    method: "POST",
    path: "/v1/token",
    headers: { "content-type": "application/json" },
    body: '{"profile":"default"}',
  });

async function token(handler: ReturnType<typeof runtime>["handler"]) {
  const result = (await handler(event())) as { statusCode: number; body: string };
  expect(result.statusCode).toBe(200);
  const body = JSON.parse(result.body) as { access_token: string };
  recordSensitive(body.access_token);
  return body.access_token;
}

describe("Runtime: shared token cache from the environment", () => {
  it("shares one token between two instances through DynamoDB when MCP_TOKEN_CACHE_TABLE is set", async () => {
    // Prepare
    const env = { [ENV.cacheTable]: TABLE, [ENV.cacheTimeoutMs]: "2000" };
    const a = runtime(env);
    const b = runtime(env);
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    const first = await token(a.handler);
    const second = await token(b.handler);
    // Assess
    expect(second).toBe(first);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    expect(a.logger.audits()[0]).toMatchObject({ sharedCache: "miss" });
    expect(b.logger.audits()[0]).toMatchObject({ sharedCache: "hit" });
    expect(await scanTable(ddb, TABLE)).toHaveLength(1);
  });

  it("stays memory only when MCP_TOKEN_CACHE_TABLE is unset", async () => {
    const rt = runtime({});
    await token(rt.handler);
    expect(rt.startup.ok && rt.startup.sharedCache).toBeUndefined();
    expect(rt.logger.audits()[0]).not.toHaveProperty("sharedCache");
  });

  it("falls back to the issuer, with one warning naming the table, when the table does not exist", async () => {
    const rt = runtime({ [ENV.cacheTable]: "no-such-table" });
    await token(rt.handler);
    await token(rt.handler);
    const warnings = rt.logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]?.attributes)).toContain("no-such-table");
    expect(rt.logger.audits()[0]).toMatchObject({ sharedCache: "fallback" });
  });

  it("answers internal_error naming the variable when MCP_TOKEN_CACHE_TABLE is not a table name", async () => {
    const rt = runtime({ [ENV.cacheTable]: "not a table!" });
    const result = (await rt.handler(event())) as { statusCode: number };
    expect(result.statusCode).toBe(500);
    expect(rt.logger.entries.some((e) => e.level === "error" && e.message.includes(ENV.cacheTable))).toBe(
      true,
    );
  });
});

describe("Function: sharedCacheSettingsFromEnv", () => {
  it("is undefined (memory only) without a table and applies the defaults with one", () => {
    expect(sharedCacheSettingsFromEnv({})).toBeUndefined();
    expect(sharedCacheSettingsFromEnv({ [ENV.cacheTable]: "  " })).toBeUndefined();
    expect(sharedCacheSettingsFromEnv({ [ENV.cacheTable]: "mcp-token-prod-TokenCache" })).toEqual({
      tableName: "mcp-token-prod-TokenCache",
      timeoutMs: 1000,
      leaseMs: 10_000,
      waitMs: 2500,
    });
  });

  it("keeps the default lease longer than a long upstream deadline", () => {
    expect(
      sharedCacheSettingsFromEnv({ [ENV.cacheTable]: "table" }, { upstreamDeadlineMs: 30_000 })?.leaseMs,
    ).toBe(32_000);
    expect(
      sharedCacheSettingsFromEnv(
        { [ENV.cacheTable]: "table", [ENV.cacheLeaseMs]: "5000" },
        { upstreamDeadlineMs: 30_000 },
      )?.leaseMs,
    ).toBe(5000);
  });

  it.each([
    [{ [ENV.cacheTimeoutMs]: "20" }, /MCP_TOKEN_CACHE_TIMEOUT_MS: expected an integer from 50 to 10000/],
    [{ [ENV.cacheLeaseMs]: "soon" }, /MCP_TOKEN_CACHE_LEASE_MS: expected an integer/],
    [{ [ENV.cacheWaitMs]: "60000" }, /MCP_TOKEN_CACHE_WAIT_MS: expected an integer from 0 to 10000/],
    [{ [ENV.cacheTable]: "x" }, /MCP_TOKEN_CACHE_TABLE: expected a DynamoDB table name/],
  ])("names the variable of a bad value %#", (env, message) => {
    expect(() => sharedCacheSettingsFromEnv({ [ENV.cacheTable]: "table", ...env })).toThrow(message);
  });
});
