/**
 * The shared token cache table's contract with the broker (apps/broker): one item per cache key under
 * the string partition key `pk`, expired by DynamoDB TTL on the numeric attribute `ttl` (epoch seconds).
 * The broker finds the table through env `MCP_TOKEN_CACHE_TABLE` (see `BROKER_ENV`).
 */
export const CACHE_TABLE = {
  /** Partition key attribute (type S). */
  hashKey: "pk",
  /** TTL attribute (type N, epoch seconds); DynamoDB deletes expired items within about two days. */
  ttlAttribute: "ttl",
} as const;
