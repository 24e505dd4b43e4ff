/** The broker configuration as a pinned SSM parameter on the local stack's moto (what infra does past 4 KB). */
import { createHash } from "node:crypto";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { LocalStack } from "@mcp-token/local";

let parameters = 0;

/**
 * Stores `config` in a new parameter and returns the environment that points the broker at it instead of
 * `MCP_TOKEN_BROKER_CONFIG`: the parameter's name and the value's SHA-256.
 */
export async function putConfigParameter(stack: LocalStack, config: string): Promise<Record<string, string>> {
  parameters += 1;
  const name = `/bench/${process.pid}/${parameters}/broker-config`;
  const client = new SSMClient({
    endpoint: stack.moto.endpoint,
    region: stack.moto.region,
    credentials: stack.moto.credentials,
  });
  try {
    await client.send(
      new PutParameterCommand({
        Name: name,
        Value: config,
        Type: "String",
        Tier: Buffer.byteLength(config) > 4096 ? "Advanced" : "Standard",
      }),
    );
  } finally {
    client.destroy();
  }
  return {
    MCP_TOKEN_BROKER_CONFIG_PARAMETER: name,
    MCP_TOKEN_BROKER_CONFIG_SHA256: createHash("sha256").update(config).digest("hex"),
  };
}
