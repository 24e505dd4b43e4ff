/**
 * The shared cache table's schema, as the broker uses it. It must match the table infra creates
 * (`infra/lib/cacheTable.ts`: string partition key `pk`, TTL on the numeric `ttl`, epoch seconds);
 * `test/sharedCache/infraContract.test.ts` checks that it does.
 *
 * Item attributes (one item per cache key):
 *
 * | attribute | type | meaning |
 * |---|---|---|
 * | `pk` | S | item key: `t1#` + base64url SHA-256 of issuer, audience, profile and scopes |
 * | `v` | N | sealing format version (1) |
 * | `iv` | B | AES-GCM nonce (12 bytes) |
 * | `ct` | B | AES-256-GCM ciphertext + tag of `{"a": token, "s": scope}` |
 * | `issued_at` | N | epoch ms, in clear (authenticated) |
 * | `expires_at` | N | epoch ms, in clear (authenticated) |
 * | `ttl` | N | epoch seconds: the token's expiry (DynamoDB deletes the item after it) |
 * | `lease_owner` | S | random id of the instance fetching from the issuer |
 * | `lease_until` | N | epoch ms when that lease lapses |
 */

/** Key and TTL attribute names (infra's `CACHE_TABLE`). */
export const SHARED_CACHE_TABLE = {
  /** Partition key attribute (type S). */
  hashKey: "pk",
  /** TTL attribute (type N, epoch seconds). */
  ttlAttribute: "ttl",
} as const;

/** The other attribute names of an item. */
export const SHARED_CACHE_ATTRIBUTES = {
  version: "v",
  iv: "iv",
  ciphertext: "ct",
  issuedAt: "issued_at",
  expiresAt: "expires_at",
  leaseOwner: "lease_owner",
  leaseUntil: "lease_until",
} as const;

/** DynamoDB actions the broker calls on the table (infra grants these, see `CACHE_TABLE_ITEM_ACTIONS`). */
export const SHARED_CACHE_ACTIONS = ["dynamodb:GetItem", "dynamodb:UpdateItem"] as const;

/**
 * `CreateTable` and `UpdateTimeToLive` inputs for a table with the same schema infra creates, as plain
 * data (no SDK import): for tests, the local stack and benchmarks.
 *
 * @example
 * const def = sharedCacheTableDefinition("mcp-token-cache");
 * await ddb.send(new CreateTableCommand(def.createTable));
 * await ddb.send(new UpdateTimeToLiveCommand(def.timeToLive));
 */
export function sharedCacheTableDefinition(tableName: string) {
  return {
    createTable: {
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST" as const,
      KeySchema: [{ AttributeName: SHARED_CACHE_TABLE.hashKey, KeyType: "HASH" as const }],
      AttributeDefinitions: [{ AttributeName: SHARED_CACHE_TABLE.hashKey, AttributeType: "S" as const }],
    },
    timeToLive: {
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: SHARED_CACHE_TABLE.ttlAttribute, Enabled: true },
    },
  };
}
