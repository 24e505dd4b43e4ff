/**
 * What the broker benchmarks share: a broker configuration pointing at the local stack's issuer and
 * its secret in moto, the environment a broker bundle process reads (as Lambda would give it), a signed
 * token request, and a real Function URL event and context captured from the testkit emulator for that
 * request (so in-process benchmarks replay exactly what the emulator hands the handler).
 */
import { BROKER_BUNDLE, LOCAL, type LocalStack } from "@mcp-token/local";
import { startFunctionUrlEmulator } from "@mcp-token/testkit";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { sendSigned, signRequest, TOKEN_REQUEST_BODY } from "./signRequest.js";

/** The JSON-serialisable part of a Lambda `context` (functions are rebuilt by the worker). */
export type ContextData = Record<string, string | number | boolean>;

export interface BrokerFixture {
  /** The production broker bundle. */
  bundle: string;
  /** `MCP_TOKEN_BROKER_CONFIG` plus the AWS SDK settings that point Secrets Manager at moto. */
  env: Record<string, string>;
  /** Audience of the `default` profile (for the issuer's counters). */
  audience: string;
  /** A `POST /v1/token` Function URL event as the emulator builds it, for the developer identity. */
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
}

/** The broker configuration: the local stack's `default` profile, unchanged. */
export function brokerConfig(stack: LocalStack): unknown {
  return {
    profiles: {
      default: {
        issuer: stack.issuer.url,
        audience: LOCAL.audience,
        secretId: stack.info.secrets.secretId,
        scopes: [...LOCAL.scopes],
        requestStyle: "auth0",
        allow: [
          `arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
          `arn:aws:iam::${LOCAL.accountId}:role/mcp-agent`,
        ],
        minTtlSeconds: 300,
      },
    },
  };
}

/** Builds the fixture; the capturing emulator is stopped before this resolves. */
export async function brokerFixture(stack: LocalStack): Promise<BrokerFixture> {
  let captured: { event: LambdaFunctionURLEventWithIAMAuthorizer; context: ContextData } | undefined;
  const emulator = await startFunctionUrlEmulator({
    identities: [stack.identities.developer],
    region: LOCAL.region,
    accountId: LOCAL.accountId,
    handler: (event, context) => {
      const data: ContextData = {};
      for (const [key, value] of Object.entries(context)) {
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
          data[key] = value;
        }
      }
      captured = { event, context: data };
      return { statusCode: 200, body: "{}" };
    },
  });
  try {
    const req = await signRequest({
      url: `${emulator.url}/v1/token`,
      method: "POST",
      body: TOKEN_REQUEST_BODY,
      identity: stack.identities.developer,
      region: LOCAL.region,
    });
    const { status } = await sendSigned(req);
    if (status !== 200 || !captured)
      throw new Error(`capturing the Function URL event failed (HTTP ${status})`);
  } finally {
    await emulator.close();
  }
  return {
    bundle: BROKER_BUNDLE,
    env: { MCP_TOKEN_BROKER_CONFIG: JSON.stringify(brokerConfig(stack)), ...stack.moto.env() },
    audience: LOCAL.audience,
    event: captured.event,
    context: captured.context,
  };
}
