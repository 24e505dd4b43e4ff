/**
 * The shared token cache across broker processes: each process runs the production bundle
 * (dist/handler.mjs, rebuilt here) with its own memory, like one Lambda instance, against the local
 * issuer, Secrets Manager and DynamoDB on moto_server (the table created with infra's schema).
 *
 * The tests build on each other, in order: eight cold processes (one issuance), a tampered item, a
 * rotated secret, a direct read of the table, and finally moto stopped under the running processes.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { cacheKey } from "@mcp-token/core";
import { type LocalIssuer, type MotoServer, startIssuer, startMoto } from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../src/env.js";
import { openToken } from "../../src/sharedCache/crypto.js";
import { parseStoredItem } from "../../src/sharedCache/dynamoDbStore.js";
import { sharedItemKey } from "../../src/sharedCache/itemKey.js";
import { type BrokerProcess, type InvokeResult, spawnBrokerProcess } from "../support/brokerProcesses.js";
import { functionUrlEvent } from "../support/events.js";
import {
  AGENT_ROLE,
  AUDIENCES,
  CLIENTS,
  DEVELOPER_ROLE_PATTERN,
  identities,
  issuerSetup,
  SECRETS,
} from "../support/fixtures.js";
import { recordSensitive } from "../support/logs.js";
import { createCacheTable, dynamoClient, scanTable } from "../support/sharedTable.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundle = join(root, "dist", "handler.mjs");
const TABLE = "mcp-token-e2e-TokenCache";

let issuer: LocalIssuer;
let moto: MotoServer;
let ddb: DynamoDBClient;
let secretArns: { default: string; spare: string };
let env: Record<string, string>;
const processes: BrokerProcess[] = [];
/** The eight processes of the first test (warm afterwards). */
let fleet: BrokerProcess[] = [];
/** Every token any process returned. */
const served = new Set<string>();

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { encoding: "utf8" });
  [issuer, moto] = await Promise.all([startIssuer(issuerSetup(3600)), startMoto()]);
  ddb = dynamoClient(moto);
  secretArns = {
    default: await moto.createSecret("shared-e2e/default", {
      client_id: CLIENTS.default,
      client_secret: SECRETS.default,
    }),
    spare: await moto.createSecret("shared-e2e/spare", {
      client_id: CLIENTS.agents,
      client_secret: SECRETS.agents,
    }),
  };
  await createCacheTable(ddb, TABLE);
  const config = {
    profiles: {
      default: {
        issuer: issuer.url,
        audience: AUDIENCES.mcp,
        secretId: secretArns.default,
        scopes: ["invoke", "read"],
        allow: [DEVELOPER_ROLE_PATTERN, AGENT_ROLE],
      },
      spare: {
        issuer: issuer.url,
        audience: AUDIENCES.tools,
        secretId: secretArns.spare,
        scopes: ["tools:call"],
        allow: [AGENT_ROLE],
      },
    },
  };
  env = {
    ...moto.env(),
    [ENV.config]: JSON.stringify(config),
    [ENV.cacheTable]: TABLE,
    // Eight cold Node processes share two cores here (a cold request takes 1-5 s of CPU-starved SDK
    // loading): wait longer than the 2.5 s default for the lease holder so the count stays exact.
    [ENV.cacheWaitMs]: "6000",
    POWERTOOLS_METRICS_NAMESPACE: "McpTokenSharedTest",
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

const tokenEvent = (profile: string, extra: Record<string, unknown> = {}) =>
  functionUrlEvent(profile === "default" ? identities.developer : identities.agent, {
    method: "POST",
    path: "/v1/token",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ profile, ...extra }),
  });

/**
 * Sends one token request from every process at the same wall-clock moment (a barrier: each process
 * sets a timer for the same instant, a second ahead, so their cold initialisation is over by then).
 */
async function together(fleetOf: BrokerProcess[], event: () => ReturnType<typeof tokenEvent>) {
  const at = Date.now() + 1000;
  return Promise.all(fleetOf.map((p) => p.invoke(event(), at)));
}

function tokenOf(result: InvokeResult): { access_token: string; expires_at: string } {
  expect(result.statusCode).toBe(200);
  const body = JSON.parse(result.body) as { access_token: string; expires_at: string };
  recordSensitive(body.access_token);
  served.add(body.access_token);
  return body;
}

const audits = (p: BrokerProcess) => p.logLines().filter((l) => l.message === "audit");
const warnings = (p: BrokerProcess, text: string) =>
  p.logLines().filter((l) => l.level === "WARN" && String(l.message).includes(text));

const itemKeyOf = (audience: string, profile: string, scopes: string[]) =>
  sharedItemKey({ issuer: issuer.url, audience, cacheKey: cacheKey(profile, scopes) });
const DEFAULT_ITEM = () => itemKeyOf(AUDIENCES.mcp, "default", ["invoke", "read"]);
const SPARE_ITEM = () => itemKeyOf(AUDIENCES.tools, "spare", ["tools:call"]);

async function rawItem(pk: string) {
  const out = await ddb.send(
    new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  if (!out.Item) throw new Error(`no item ${pk}`);
  return out.Item;
}

const verify = (token: string, audience: string) =>
  jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUri)), { issuer: issuer.url, audience });

describe("Shared token cache across broker processes (bundle, moto DynamoDB)", () => {
  it("gives eight cold processes asking at the same moment exactly one issuance and one token", async () => {
    // Prepare
    fleet = await cold(8);
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    const results = await together(fleet, () => tokenEvent("default"));
    // Assess
    const tokens = new Set(results.map((r) => tokenOf(r).access_token));
    expect(tokens.size).toBe(1);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    const starts = results.map((r) => r.startedAt);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(500);
    const outcomes = fleet.flatMap((p) => audits(p).map((a) => a.sharedCache)).sort();
    expect(outcomes.filter((o) => o === "miss")).toHaveLength(1);
    expect(outcomes.every((o) => o === "miss" || o === "wait" || o === "hit")).toBe(true);
    await verify([...tokens][0] as string, AUDIENCES.mcp);
    const emf = fleet.flatMap((p) => p.logLines()).filter((l) => typeof l._aws === "object");
    expect(emf.some((l) => "SharedCacheMiss" in l)).toBe(true);
    expect(emf.some((l) => "SharedCacheHit" in l)).toBe(true);
  });

  it("treats a flipped ciphertext byte or a forged expiry as a miss with a warning, never an error or the bad token", async () => {
    // Prepare: flip one byte of the stored ciphertext.
    const pk = DEFAULT_ITEM();
    const ct = new Uint8Array((await rawItem(pk)).ct?.B ?? []);
    ct[7] = (ct[7] as number) ^ 0x20;
    await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: pk } },
        UpdateExpression: "SET ct = :ct",
        ExpressionAttributeValues: { ":ct": { B: ct } },
      }),
    );
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    const [tampered] = await cold(1);
    const first = await (tampered as BrokerProcess).invoke(tokenEvent("default"));
    // Assess
    const token = tokenOf(first).access_token;
    await verify(token, AUDIENCES.mcp);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    expect(warnings(tampered as BrokerProcess, "item rejected")).toMatchObject([
      { reason: "authentication failed" },
    ]);
    expect(audits(tampered as BrokerProcess).map((a) => a.sharedCache)).toEqual(["miss"]);

    // Prepare: push the clear-text expiry (authenticated as AAD) an hour later.
    const forgedExpiry = Number((await rawItem(pk)).expires_at?.N) + 3_600_000;
    await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: pk } },
        UpdateExpression: "SET expires_at = :e",
        ExpressionAttributeValues: { ":e": { N: String(forgedExpiry) } },
      }),
    );
    // Act
    const [forged] = await cold(1);
    const second = tokenOf(await (forged as BrokerProcess).invoke(tokenEvent("default")));
    // Assess: a new token with its real expiry, not the stored one with a forged expiry.
    expect(second.access_token).not.toBe(token);
    expect(Date.parse(second.expires_at)).toBeLessThan(forgedExpiry - 3_000_000);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(2);
    expect(warnings(forged as BrokerProcess, "item rejected")).toHaveLength(1);
  });

  it("after a client secret rotation, makes old items undecryptable and issues exactly once", async () => {
    // Prepare: a token for the spare profile sealed under the current secret.
    const warm = fleet[0] as BrokerProcess;
    const old = tokenOf(await warm.invoke(tokenEvent("spare"))).access_token;
    issuer.rotateSecret(CLIENTS.agents, SECRETS.rotated);
    await moto.putSecretValue(secretArns.spare, {
      client_id: CLIENTS.agents,
      client_secret: SECRETS.rotated,
    });
    const before = issuer.issued({ clientId: CLIENTS.agents });
    // Act: three cold processes (they read the new secret) at the same moment.
    const rotatedFleet = await cold(3);
    const results = await together(rotatedFleet, () => tokenEvent("spare"));
    // Assess
    const tokens = new Set(results.map((r) => tokenOf(r).access_token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(old)).toBe(false);
    expect(issuer.issued({ clientId: CLIENTS.agents }) - before).toBe(1);
    expect(rotatedFleet.flatMap((p) => warnings(p, "item rejected")).length).toBeGreaterThanOrEqual(1);
    const record = parseStoredItem(SPARE_ITEM(), await rawItem(SPARE_ITEM()));
    const sealed = record.token;
    if (!sealed) throw new Error("no sealed token");
    await expect(
      openToken({ clientId: CLIENTS.agents, clientSecret: SECRETS.rotated }, sealed, sealed),
    ).resolves.toMatchObject({ accessToken: [...tokens][0] });
    await expect(
      openToken({ clientId: CLIENTS.agents, clientSecret: SECRETS.agents }, sealed, sealed),
    ).rejects.toMatchObject({ kind: "authentication" });
  });

  it("shows no plaintext token to a direct read of the table", async () => {
    // Act
    const items = await scanTable(ddb, TABLE);
    // Assess
    expect(items.length).toBeGreaterThanOrEqual(2);
    const dump = items
      .map((item) =>
        Object.entries(item)
          .map(([name, value]) => {
            const bytes = value.B ? Buffer.from(value.B) : undefined;
            const text = value.S ?? value.N ?? "";
            return `${name}=${text}|${bytes?.toString("latin1") ?? ""}|${bytes?.toString("base64") ?? ""}|${bytes?.toString("base64url") ?? ""}`;
          })
          .join("\n"),
      )
      .join("\n");
    expect(dump).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/);
    expect(served.size).toBeGreaterThanOrEqual(4);
    for (const token of served) {
      for (let i = 0; i + 16 <= token.length; i += 8)
        expect(dump.includes(token.slice(i, i + 16))).toBe(false);
    }
    expect(dump).not.toMatch(/default|spare|invoke|tools:call/);
  });

  it("keeps answering from memory and the issuer with moto stopped, and logs the fallback", async () => {
    // Prepare
    await moto.stop();
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act: plain requests (memory), then requests for a scope set no instance holds (shared tier → issuer).
    const fromMemory = await together(fleet, () => tokenEvent("default"));
    const fromIssuer = await together(fleet, () => tokenEvent("default", { scopes: ["read"] }));
    // Assess
    for (const r of [...fromMemory, ...fromIssuer]) {
      tokenOf(r);
      expect(r.answeredAt - r.startedAt).toBeLessThan(5000);
    }
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(fleet.length);
    for (const p of fleet) {
      expect(warnings(p, "shared token cache unavailable")).toHaveLength(1);
      expect(audits(p).at(-1)).toMatchObject({ sharedCache: "fallback", status: 200 });
    }
  });
});
