/**
 * Per-caller tokens across broker processes: each process runs the production bundle
 * (dist/handler.mjs) with its own memory, like one Lambda instance, against the local issuer running
 * the repository's caller-claims Action, Secrets Manager and the shared DynamoDB cache on moto_server.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type LocalIdentity,
  type LocalIssuer,
  type MotoServer,
  startIssuer,
  startMoto,
} from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../src/env.js";
import { type BrokerProcess, type InvokeResult, spawnBrokerProcess } from "../support/brokerProcesses.js";
import { functionUrlEvent } from "../support/events.js";
import {
  ACCOUNT,
  AGENT_ROLE,
  AUDIENCES,
  CLIENTS,
  DEVELOPER_ROLE_PATTERN,
  identities,
  issuerSetup,
  SECRETS,
} from "../support/fixtures.js";
import { recordSensitive } from "../support/logs.js";
import { createCacheTable, dynamoClient } from "../support/sharedTable.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundle = join(root, "dist", "handler.mjs");
const TABLE = "mcp-token-e2e-PerCallerCache";
const ACTION = createRequire(import.meta.url).resolve("@mcp-token/auth0-actions/caller-claims");

let issuer: LocalIssuer;
let moto: MotoServer;
let ddb: DynamoDBClient;
let env: Record<string, string>;
const processes: BrokerProcess[] = [];

/** A second Identity Center user of the developer permission set. */
const bob: LocalIdentity = {
  ...identities.developer,
  name: "bob",
  principalArn: identities.developer.principalArn.replace(/\/alice$/, "/bob"),
  userId: "AROALOCALDEVELOPER001:bob",
};

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { encoding: "utf8" });
  [issuer, moto] = await Promise.all([
    startIssuer({
      ...issuerSetup(3600),
      actions: {
        credentialsExchange: [
          { file: ACTION, secrets: { BROKER_CLIENT_IDS: CLIENTS.default, AUDIENCES: AUDIENCES.mcp } },
        ],
      },
    }),
    startMoto(),
  ]);
  ddb = dynamoClient(moto);
  const secretId = await moto.createSecret("per-caller-e2e/default", {
    client_id: CLIENTS.default,
    client_secret: SECRETS.default,
  });
  await createCacheTable(ddb, TABLE);
  const profile = {
    issuer: issuer.url,
    audience: AUDIENCES.mcp,
    secretId,
    scopes: ["invoke"],
    allow: [DEVELOPER_ROLE_PATTERN, AGENT_ROLE],
  };
  env = {
    ...moto.env(),
    [ENV.config]: JSON.stringify({
      profiles: { "per-caller": { ...profile, identity: "caller" }, shared: profile },
    }),
    [ENV.cacheTable]: TABLE,
    // Eight cold Node processes share two cores: wait longer than the default for the lease holder.
    [ENV.cacheWaitMs]: "6000",
    POWERTOOLS_METRICS_DISABLED: "true",
  };
});

afterAll(async () => {
  await Promise.allSettled(processes.map((p) => p.close()));
  ddb?.destroy();
  await Promise.allSettled([issuer?.close(), moto?.stop()]);
});

async function cold(count: number): Promise<BrokerProcess[]> {
  const started = await Promise.all(Array.from({ length: count }, () => spawnBrokerProcess(bundle, env)));
  processes.push(...started);
  return started;
}

const tokenEvent = (identity: LocalIdentity, profile: string) =>
  functionUrlEvent(identity, {
    method: "POST",
    path: "/v1/token",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ profile }),
  });

/** One request per process, all at the same wall-clock moment, a second ahead (cold start done by then). */
function together(fleet: BrokerProcess[], eventFor: (index: number) => ReturnType<typeof tokenEvent>) {
  const at = Date.now() + 1000;
  return Promise.all(fleet.map((p, i) => p.invoke(eventFor(i), at)));
}

function tokenOf(result: InvokeResult): string {
  expect(result.statusCode, result.body).toBe(200);
  const token = (JSON.parse(result.body) as { access_token: string }).access_token;
  recordSensitive(token);
  return token;
}

const claimsOf = async (token: string) =>
  (
    await jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.url,
      audience: AUDIENCES.mcp,
    })
  ).payload;

describe("Per-caller tokens across broker processes (bundle, moto DynamoDB, the caller-claims Action)", () => {
  it("gives eight cold processes serving two principals at once two issuances, one token per principal", async () => {
    // Prepare
    const fleet = await cold(8);
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act: even processes serve alice (Identity Center), odd ones the agent role.
    const results = await together(fleet, (i) =>
      tokenEvent(i % 2 === 0 ? identities.developer : identities.agent, "per-caller"),
    );
    // Assess
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(2);
    const tokens = results.map(tokenOf);
    const alice = tokens.filter((_, i) => i % 2 === 0);
    const agent = tokens.filter((_, i) => i % 2 === 1);
    expect(new Set(alice).size).toBe(1);
    expect(new Set(agent).size).toBe(1);
    expect(alice[0]).not.toBe(agent[0]);
    expect(await claimsOf(alice[0] as string)).toMatchObject({
      "https://mcp-token.dev/caller": `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Developer_0123456789abcdef`,
      "https://mcp-token.dev/account": ACCOUNT,
      "https://mcp-token.dev/session": "alice",
    });
    const agentClaims = await claimsOf(agent[0] as string);
    expect(agentClaims).toMatchObject({
      "https://mcp-token.dev/caller": AGENT_ROLE,
      "https://mcp-token.dev/account": ACCOUNT,
    });
    expect(agentClaims).not.toHaveProperty("https://mcp-token.dev/session");
  });

  it("gives concurrent requests of one new principal on eight warm processes one issuance", async () => {
    const fleet = processes.slice(0, 8);
    const before = issuer.issued({ clientId: CLIENTS.default });
    const tokens = (await together(fleet, () => tokenEvent(bob, "per-caller"))).map(tokenOf);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect((await claimsOf(tokens[0] as string))["https://mcp-token.dev/session"]).toBe("bob");
  });

  it("keeps the shared profile one token for every caller, without caller claims", async () => {
    const fleet = processes.slice(0, 8);
    const before = issuer.issued({ clientId: CLIENTS.default });
    const tokens = (
      await together(fleet, (i) =>
        tokenEvent([identities.developer, identities.agent, bob][i % 3] as LocalIdentity, "shared"),
      )
    ).map(tokenOf);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const claims = await claimsOf(tokens[0] as string);
    expect(Object.keys(claims).filter((k) => k.startsWith("https://mcp-token.dev/"))).toEqual([]);
  });

  it("writes the served token's fingerprint and the caller into each audit line", async () => {
    const lines = processes
      .flatMap((p) => p.logLines())
      .filter((l) => l.message === "audit" && l.profile === "per-caller");
    expect(lines.length).toBe(16);
    for (const line of lines) {
      expect(line.tokenFingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(line.identity).toBe("caller");
    }
  });
});
