/**
 * What the fleet benchmarks (hot path, cold start) share: a local issuer of their own serving every
 * fleet profile's audience (testkit `startIssuer`), the profiles' client secret in the stack's moto, and
 * the Lambda environment of the production bundle configured with the fleet's profiles. The Function URL
 * event template is the one the emulator produced for the base fixture (see brokerFixture.ts).
 */
import { randomBytes } from "node:crypto";
import { LOCAL, type LocalStack } from "@mcp-token/local";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import type { BrokerFixture, ContextData } from "./brokerFixture.js";
import { FLEET_CLIENT_ID, fleetBrokerConfig, fleetIssuerSetup } from "./fleet.js";
import { lambdaEnvironment } from "./lambdaEnv.js";

/** The seed of the fleet's callers (lib/fleet.ts) for every benchmark run. */
export const FLEET_SEED = 2026;

export interface FleetFixture {
  /** The production broker bundle. */
  bundle: string;
  /**
   * The environment of a Lambda instance of the bundle (lib/lambdaEnv.ts) with the fleet's
   * `MCP_TOKEN_BROKER_CONFIG` and the AWS SDK pointed at moto; a benchmark adds `MCP_TOKEN_CACHE_TABLE`.
   */
  env: Record<string, string>;
  /** An emulator-built Function URL event, the template of every fleet event. */
  template: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
  /** Seed of `fleetCallers`. */
  seed: number;
  /** The fleet's own issuer (for its issuance counter). */
  issuer: LocalIssuer;
}

/** Builds the fleet fixture; the caller closes `issuer`. */
export async function fleetFixture(stack: LocalStack, base: BrokerFixture): Promise<FleetFixture> {
  const clientSecret = randomBytes(24).toString("base64url");
  const issuer = await startIssuer(fleetIssuerSetup(clientSecret));
  try {
    const secretId = await stack.moto.createSecret(`mcp-token/bench/fleet-${process.pid}-${Date.now()}`, {
      client_id: FLEET_CLIENT_ID,
      client_secret: clientSecret,
    });
    const config = fleetBrokerConfig({ issuer: issuer.url, secretId });
    return {
      bundle: base.bundle,
      env: lambdaEnvironment({
        region: LOCAL.region,
        extra: { ...stack.moto.env(), MCP_TOKEN_BROKER_CONFIG: JSON.stringify(config) },
      }),
      template: base.event,
      context: { ...base.context, functionName: "mcp-token-broker" },
      seed: FLEET_SEED,
      issuer,
    };
  } catch (error) {
    await issuer.close();
    throw error;
  }
}
