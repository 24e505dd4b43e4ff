/**
 * A configuration too large for Lambda's 4 KB environment lives in an SSM parameter
 * (`MCP_TOKEN_BROKER_CONFIG_PARAMETER`), read once at cold start, before the configuration is parsed.
 *
 * The value must hash to `MCP_TOKEN_BROKER_CONFIG_SHA256`, which the deployment puts in the function's
 * environment: anyone in the account holding `ssm:PutParameter` could otherwise rewrite the allow lists,
 * while the pinned hash can only change with `lambda:UpdateFunctionConfiguration`, which could rewrite an
 * environment configuration just as well. A read failure or a mismatch leaves the broker misconfigured
 * (every request `internal_error`, the reason logged), never serving an unpinned configuration.
 */
import { createHash } from "node:crypto";
import { getStringFromEnv } from "@mcp-token/core";
import { loadSdk } from "./aws/loadSdk.js";
import { MAX_CONFIG_BYTES } from "./config.js";
import { ENV } from "./env.js";

/** Reads a parameter's value (String). */
export type ParameterReader = (name: string) => Promise<string>;

type SsmModule = typeof import("@aws-sdk/client-ssm");

/** The SSM client, loaded on first use (only brokers configured this way ever load it). */
export const ssmParameterReader: ParameterReader = async (name) => {
  const sdk = await loadSdk<SsmModule>("@aws-sdk/client-ssm", () => import("@aws-sdk/client-ssm"));
  const client = new sdk.SSMClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
  });
  try {
    const out = await client.send(new sdk.GetParameterCommand({ Name: name }));
    const value = out.Parameter?.Value;
    if (typeof value !== "string") throw new Error("the parameter has no value");
    return value;
  } finally {
    client.destroy();
  }
};

/**
 * The environment with `MCP_TOKEN_BROKER_CONFIG` filled from the pinned SSM parameter when only the
 * parameter is named; unchanged otherwise. `{ failure }` names the variable and the reason.
 */
export async function resolveConfigParameter(
  env: Readonly<Record<string, string | undefined>>,
  read: ParameterReader = ssmParameterReader,
): Promise<{ env: Readonly<Record<string, string | undefined>> } | { failure: string }> {
  const name = getStringFromEnv(env, ENV.configParameter);
  if (name === undefined || getStringFromEnv(env, ENV.config) !== undefined) return { env };
  const pinned = getStringFromEnv(env, ENV.configSha256)?.toLowerCase();
  if (pinned === undefined || !/^[0-9a-f]{64}$/.test(pinned)) {
    return {
      failure: `${ENV.configParameter} needs ${ENV.configSha256}, the SHA-256 (hex) of the parameter's value`,
    };
  }
  let value: string;
  try {
    value = await read(name);
  } catch (error) {
    return {
      failure: `${ENV.configParameter}: cannot read the SSM parameter ${JSON.stringify(name)} (${(error as Error).name ?? "error"}: ${String((error as Error).message ?? error).slice(0, 200)})`,
    };
  }
  if (Buffer.byteLength(value) > MAX_CONFIG_BYTES) {
    return {
      failure: `${ENV.configParameter}: the parameter's value is larger than ${MAX_CONFIG_BYTES} bytes`,
    };
  }
  const actual = createHash("sha256").update(value).digest("hex");
  if (actual !== pinned) {
    return {
      failure: `${ENV.configParameter}: the parameter's value does not match ${ENV.configSha256} (it was changed outside the deployment); redeploy to restore it`,
    };
  }
  return { env: { ...env, [ENV.config]: value } };
}
