/**
 * A configuration too large for the Lambda environment (issue 20): the production bundle reads it from
 * an SSM parameter at cold start (moto_server), pinned by the SHA-256 in its environment, and refuses a
 * value changed outside the deployment. Each case is a fresh broker process, like a new instance.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { type LocalIssuer, type MotoServer, startIssuer, startMoto } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfigParameter } from "../../src/configParameter.js";
import { ENV } from "../../src/env.js";
import { type BrokerProcess, spawnBrokerProcess } from "../support/brokerProcesses.js";
import { functionUrlEvent } from "../support/events.js";
import { AGENT_ROLE, AUDIENCES, CLIENTS, identities, issuerSetup, SECRETS } from "../support/fixtures.js";
import { recordSensitive } from "../support/logs.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundle = join(root, "dist", "handler.mjs");
const PARAMETER = "/mcp-token/e2e/broker-config";
let issuer: LocalIssuer;
let moto: MotoServer;
let ssm: SSMClient;
let config: string;
const processes: BrokerProcess[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { encoding: "utf8" });
  [issuer, moto] = await Promise.all([startIssuer(issuerSetup(3600)), startMoto()]);
  ssm = new SSMClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const secretId = await moto.createSecret("parameter-e2e/default", {
    client_id: CLIENTS.default,
    client_secret: SECRETS.default,
  });
  // Over 4 KB: 80 agent roles, as a large organisation's allow list would be.
  const allow = [
    AGENT_ROLE,
    ...Array.from({ length: 80 }, (_, i) => `arn:aws:iam::123456789012:role/team-${i}/mcp-agent`),
  ];
  config = JSON.stringify({
    profiles: { default: { issuer: issuer.url, audience: AUDIENCES.mcp, secretId, allow } },
  });
  expect(Buffer.byteLength(config)).toBeGreaterThan(4096);
  await ssm.send(
    new PutParameterCommand({ Name: PARAMETER, Value: config, Type: "String", Tier: "Advanced" }),
  );
});

afterAll(async () => {
  await Promise.allSettled(processes.map((p) => p.close()));
  ssm?.destroy();
  await Promise.allSettled([issuer?.close(), moto?.stop()]);
});

async function tokenRequestWith(env: Record<string, string>) {
  const broker = await spawnBrokerProcess(bundle, {
    ...moto.env(),
    POWERTOOLS_METRICS_DISABLED: "true",
    ...env,
  });
  processes.push(broker);
  const result = await broker.invoke(
    functionUrlEvent(identities.agent, {
      method: "POST",
      path: "/v1/token",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
  );
  return { broker, result };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("Broker configuration from a pinned SSM parameter (bundle, moto SSM)", () => {
  it("reads the parameter once at cold start and serves tokens with it", async () => {
    const { result } = await tokenRequestWith({
      [ENV.configParameter]: PARAMETER,
      [ENV.configSha256]: sha256(config),
    });
    expect(result.statusCode, result.body).toBe(200);
    recordSensitive((JSON.parse(result.body) as { access_token: string }).access_token);
  });

  it("refuses a parameter value changed outside the deployment", async () => {
    const tampered = config.replace(AGENT_ROLE, "arn:aws:iam::123456789012:role/intruder");
    await ssm.send(
      new PutParameterCommand({
        Name: PARAMETER,
        Value: tampered,
        Type: "String",
        Tier: "Advanced",
        Overwrite: true,
      }),
    );
    try {
      const { broker, result } = await tokenRequestWith({
        [ENV.configParameter]: PARAMETER,
        [ENV.configSha256]: sha256(config),
      });
      expect(result.statusCode).toBe(500);
      expect(JSON.parse(result.body)).toMatchObject({ error: "internal_error" });
      expect(broker.output()).toContain("does not match MCP_TOKEN_BROKER_CONFIG_SHA256");
    } finally {
      await ssm.send(
        new PutParameterCommand({
          Name: PARAMETER,
          Value: config,
          Type: "String",
          Tier: "Advanced",
          Overwrite: true,
        }),
      );
    }
  });
});

describe("Function: resolveConfigParameter", () => {
  const reader = (value: string) => async () => value;

  it("leaves an environment configuration alone, and needs the hash with a parameter", async () => {
    const env = { [ENV.config]: "{}", [ENV.configParameter]: PARAMETER };
    expect(await resolveConfigParameter(env, reader("x"))).toEqual({ env });
    expect(await resolveConfigParameter({ [ENV.configParameter]: PARAMETER }, reader("x"))).toEqual({
      failure: expect.stringContaining("needs MCP_TOKEN_BROKER_CONFIG_SHA256"),
    });
  });

  it("names the parameter when it cannot be read, and refuses an oversize value", async () => {
    const env = { [ENV.configParameter]: PARAMETER, [ENV.configSha256]: "0".repeat(64) };
    const failing = async () => {
      throw Object.assign(new Error("ParameterNotFound"), { name: "ParameterNotFound" });
    };
    expect(await resolveConfigParameter(env, failing)).toEqual({
      failure: expect.stringContaining(`cannot read the SSM parameter "${PARAMETER}" (ParameterNotFound`),
    });
    expect(await resolveConfigParameter(env, reader("x".repeat(300 * 1024)))).toEqual({
      failure: expect.stringContaining("larger than"),
    });
  });
});
