/**
 * The DynamoDB store against moto_server: item round trip with TTL, the conditional lease, defensive
 * parsing of malformed items, and failures (missing table, hanging endpoint, throttling, access denied)
 * turned into bounded, classified SharedStoreErrors.
 */
import { createServer, type Server, type Socket } from "node:net";
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { type MotoServer, startMoto } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbTokenStore, parseStoredItem } from "../../src/sharedCache/dynamoDbStore.js";
import type { SealedTokenItem } from "../../src/sharedCache/store.js";
import { createCacheTable, dynamoClient } from "../support/sharedTable.js";

let moto: MotoServer;
let ddb: DynamoDBClient;
const TABLE = "store-test-cache";

beforeAll(async () => {
  moto = await startMoto();
  ddb = dynamoClient(moto);
  await createCacheTable(ddb, TABLE);
});
afterAll(async () => {
  ddb?.destroy();
  await moto?.stop();
});

const store = (tableName = TABLE, timeoutMs = 2000) =>
  createDynamoDbTokenStore({
    tableName,
    timeoutMs,
    clientConfig: { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials },
  });

let n = 0;
const freshKey = () => `t1#test-item-${++n}-${Date.now()}`;

function sealedItem(itemKey: string, overrides: Partial<SealedTokenItem> = {}): SealedTokenItem {
  return {
    itemKey,
    version: 1,
    iv: new Uint8Array(12).fill(7),
    ciphertext: new Uint8Array(64).fill(9),
    issuedAt: 1_800_000_000_000,
    expiresAt: 1_800_003_600_500,
    ...overrides,
  };
}

describe("Function: createDynamoDbTokenStore", () => {
  describe("Method: read / write", () => {
    it("reads nothing for an absent item", async () => {
      expect(await store().read(freshKey())).toBeUndefined();
    });

    it("writes a sealed token, reads it back, and sets the TTL attribute to the expiry in seconds", async () => {
      // Prepare
      const key = freshKey();
      const item = sealedItem(key);
      // Act
      await store().write(item);
      const record = await store().read(key);
      // Assess
      expect(record).toEqual({ token: item });
      const raw = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }));
      expect(raw.Item?.ttl).toEqual({ N: "1800003601" });
      expect(Object.keys(raw.Item ?? {}).sort()).toEqual([
        "ct",
        "expires_at",
        "issued_at",
        "iv",
        "pk",
        "ttl",
        "v",
      ]);
    });
  });

  describe("Method: acquireLease / releaseLease", () => {
    it("grants the lease to one owner until it lapses, then lets another take it over", async () => {
      const key = freshKey();
      const s = store();
      expect(await s.acquireLease(key, "a", 1000, 11_000)).toBe(true);
      expect(await s.acquireLease(key, "b", 5000, 15_000)).toBe(false);
      expect(await s.acquireLease(key, "b", 11_000, 21_000)).toBe(false); // exactly at `until`: still held
      expect(await s.acquireLease(key, "b", 11_001, 21_001)).toBe(true);
      expect((await s.read(key))?.lease).toEqual({ owner: "b", until: 21_001 });
    });

    it("releases only for the holder", async () => {
      const key = freshKey();
      const s = store();
      await s.acquireLease(key, "a", 1000, 11_000);
      await s.releaseLease(key, "b");
      expect((await s.read(key))?.lease?.owner).toBe("a");
      await s.releaseLease(key, "a");
      expect((await s.read(key))?.lease).toBeUndefined();
      expect(await s.acquireLease(key, "c", 2000, 12_000)).toBe(true);
    });

    it("refuses the lease when the stored token changed since the caller read it", async () => {
      // Prepare: the caller read "no token"; meanwhile another instance stored one (and released its lease).
      const key = freshKey();
      const s = store();
      const written = sealedItem(key);
      await s.write(written, { releaseLease: true });
      // Act + Assess
      expect(await s.acquireLease(key, "late", 1000, 11_000, { seen: null })).toBe(false);
      expect(await s.acquireLease(key, "late", 1000, 11_000, { seen: new Uint8Array(12) })).toBe(false);
      expect(await s.acquireLease(key, "late", 1000, 11_000, { seen: written.iv })).toBe(true);
    });

    it("lets exactly one of 20 concurrent owners take the lease", async () => {
      const key = freshKey();
      const s = store();
      const won = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.acquireLease(key, `o${i}`, 1000, 9000)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it("keeps another owner's lease on a plain write and clears it on the holder's write", async () => {
      const key = freshKey();
      const s = store();
      await s.acquireLease(key, "holder", 1000, 11_000);
      await s.write(sealedItem(key));
      expect((await s.read(key))?.lease?.owner).toBe("holder");
      await s.write(sealedItem(key, { issuedAt: 1_800_000_000_001 }), { releaseLease: true });
      const record = await s.read(key);
      expect(record?.lease).toBeUndefined();
      expect(record?.token?.issuedAt).toBe(1_800_000_000_001);
    });

    it("keeps the token's TTL when a lease is taken on an item that holds one", async () => {
      const key = freshKey();
      const s = store();
      await s.write(sealedItem(key));
      await s.acquireLease(key, "a", 1000, 11_000);
      const raw = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }));
      expect(raw.Item?.ttl).toEqual({ N: "1800003601" });
    });

    it("takes over a corrupt lease that lapses implausibly far in the future", async () => {
      const key = freshKey();
      const s = store();
      await s.acquireLease(key, "bogus", 1000, 1000 + 10 * 86_400_000);
      expect(await s.acquireLease(key, "a", 2000, 12_000)).toBe(true);
    });

    it("takes over a lease whose lease_until has the wrong type", async () => {
      const key = freshKey();
      await ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: key }, lease_owner: { S: "x" }, lease_until: { S: "forever" } },
        }),
      );
      expect(await store().acquireLease(key, "a", 1000, 11_000)).toBe(true);
    });
  });

  describe("Parsing", () => {
    it.each([
      ["a version that is not a number", { v: { S: "1" } }, /"v" is not an integer/],
      ["a short nonce", { iv: { B: new Uint8Array(8) } }, /"iv" is not 12 bytes/],
      ["a ciphertext shorter than a tag", { ct: { B: new Uint8Array(16) } }, /"ct" is not 17\.\.24576 bytes/],
      ["a huge ciphertext", { ct: { B: new Uint8Array(30_000) } }, /"ct" is not/],
      ["an expiry before the issue time", { expires_at: { N: "5" } }, /ordered epoch milliseconds/],
      ["a non-integer time", { issued_at: { N: "1.5" } }, /ordered epoch milliseconds/],
    ])("reports %s as malformed instead of throwing", async (_name, patch, reason) => {
      // Prepare
      const key = freshKey();
      const base = {
        pk: { S: key },
        v: { N: "1" },
        iv: { B: new Uint8Array(12) },
        ct: { B: new Uint8Array(40) },
        issued_at: { N: "1000" },
        expires_at: { N: "2000" },
      };
      await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...base, ...patch } }));
      // Act
      const record = await store().read(key);
      // Assess
      expect(record?.token).toBeUndefined();
      expect(record?.malformed).toMatch(reason);
    });

    it("reads a lease-only item as a lease without a token", () => {
      expect(parseStoredItem("k", { lease_owner: { S: "a" }, lease_until: { N: "5" } })).toEqual({
        lease: { owner: "a", until: 5 },
      });
    });
  });

  describe("Failures", () => {
    it("fails with not_found when the table does not exist", async () => {
      await expect(store("no-such-table").read(freshKey())).rejects.toMatchObject({
        name: "SharedStoreError",
        kind: "not_found",
        message: expect.stringContaining("no-such-table"),
      });
    });

    it("bounds a call to an endpoint that never answers by timeoutMs", async () => {
      // Prepare: a TCP server that accepts and stays silent.
      const sockets: Socket[] = [];
      const silent: Server = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const port = (silent.address() as { port: number }).port;
      const hanging = createDynamoDbTokenStore({
        tableName: TABLE,
        timeoutMs: 300,
        clientConfig: {
          endpoint: `http://127.0.0.1:${port}`,
          region: "us-west-2",
          credentials: moto.credentials,
        },
      });
      await hanging.read(freshKey()).catch(() => undefined); // load the SDK outside the measurement
      try {
        // Act
        const started = Date.now();
        const error = await hanging.read(freshKey()).catch((e: unknown) => e);
        const elapsed = Date.now() - started;
        // Assess
        expect(error).toMatchObject({ name: "SharedStoreError", kind: "timeout" });
        expect(elapsed).toBeLessThan(1000);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it.each([
      ["ProvisionedThroughputExceededException", "throttled"],
      ["ThrottlingException", "throttled"],
      ["AccessDeniedException", "access_denied"],
      ["InternalServerError", "unavailable"],
    ])("classifies %s as %s", async (name, kind) => {
      const failing = createDynamoDbTokenStore({
        tableName: TABLE,
        client: {
          send: async () => {
            throw Object.assign(new Error("refused"), { name });
          },
        },
      });
      await expect(failing.read(freshKey())).rejects.toMatchObject({ kind });
      await expect(failing.acquireLease(freshKey(), "a", 1, 2)).rejects.toMatchObject({ kind });
      await expect(failing.write(sealedItem(freshKey()))).rejects.toMatchObject({ kind });
    });

    it("rejects a table name that DynamoDB would not accept", () => {
      expect(() => createDynamoDbTokenStore({ tableName: "a b" })).toThrow(/tableName/);
    });
  });
});
