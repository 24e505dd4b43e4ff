/**
 * The shared token cache (DynamoDB, on demand): lets every broker instance reuse one Auth0 token per
 * profile and scopes instead of issuing one per cold start. Tokens are stored encrypted by the broker,
 * so no point-in-time recovery (it is a cache) and the default AWS-owned encryption key.
 */
import { CACHE_TABLE } from "./lib/cacheTable.js";
import { cacheTableResourcePolicy } from "./lib/policies.js";

export function createCacheTable(opts: { production: boolean }): aws.dynamodb.Table {
  return new aws.dynamodb.Table("TokenCache", {
    billingMode: "PAY_PER_REQUEST",
    hashKey: CACHE_TABLE.hashKey,
    attributes: [{ name: CACHE_TABLE.hashKey, type: "S" }],
    ttl: { attributeName: CACHE_TABLE.ttlAttribute, enabled: true },
    pointInTimeRecovery: { enabled: false },
    deletionProtectionEnabled: opts.production,
  });
}

/** Fences the table's items to the broker's role (a DynamoDB resource-based policy). */
export function fenceCacheTable(opts: {
  table: aws.dynamodb.Table;
  brokerRoleArn: $util.Output<string>;
}): aws.dynamodb.ResourcePolicy {
  return new aws.dynamodb.ResourcePolicy("TokenCachePolicy", {
    resourceArn: opts.table.arn,
    policy: $resolve([opts.table.arn, opts.brokerRoleArn]).apply(([tableArn, brokerRoleArn]) =>
      JSON.stringify(cacheTableResourcePolicy({ tableArn, brokerRoleArn })),
    ),
  });
}
