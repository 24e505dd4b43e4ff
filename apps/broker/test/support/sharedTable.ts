/** The shared cache table on moto_server, created with the schema infra uses (SDK client of the test). */
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { MotoServer } from "@mcp-token/testkit";
import { sharedCacheTableDefinition } from "../../src/sharedCache/table.js";

/** A DynamoDB client pointed at `moto`. */
export function dynamoClient(moto: MotoServer): DynamoDBClient {
  return new DynamoDBClient({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
}

/** Creates the cache table (key `pk`, TTL on `ttl`) and resolves to its name. */
export async function createCacheTable(client: DynamoDBClient, tableName: string): Promise<string> {
  const def = sharedCacheTableDefinition(tableName);
  await client.send(new CreateTableCommand(def.createTable));
  await client.send(new UpdateTimeToLiveCommand(def.timeToLive));
  return tableName;
}

/** Every item of the table (Scan, all pages). */
export async function scanTable(client: DynamoDBClient, tableName: string) {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start }) }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
