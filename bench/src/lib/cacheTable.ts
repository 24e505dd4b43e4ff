/** Shared token cache tables on the local stack's moto, created with the broker's own schema. */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { sharedCacheTableDefinition } from "@mcp-token/broker";
import type { LocalStack } from "@mcp-token/local";

let tables = 0;

/** Creates a new, empty cache table (`sharedCacheTableDefinition`, TTL on) and resolves to its name. */
export async function createCacheTable(stack: LocalStack): Promise<string> {
  tables += 1;
  const name = `bench-${process.pid}-${tables}-TokenCache`;
  const client = new DynamoDBClient({
    endpoint: stack.moto.endpoint,
    region: stack.moto.region,
    credentials: stack.moto.credentials,
  });
  try {
    const def = sharedCacheTableDefinition(name);
    await client.send(new CreateTableCommand(def.createTable));
    await client.send(new UpdateTimeToLiveCommand(def.timeToLive));
  } finally {
    client.destroy();
  }
  return name;
}
