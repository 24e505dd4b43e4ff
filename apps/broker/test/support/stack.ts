/** moto_server + local issuer + the two profiles' secrets in Secrets Manager, for the e2e suites. */
import { type LocalIssuer, type MotoServer, startIssuer, startMoto } from "@mcp-token/testkit";
import { vi } from "vitest";
import { brokerConfigDoc, CLIENTS, issuerSetup, SECRETS } from "./fixtures.js";

export interface Stack {
  issuer: LocalIssuer;
  moto: MotoServer;
  secretArns: { default: string; agents: string };
  configJson: string;
  close(): Promise<void>;
}

/**
 * Starts the issuer and moto_server, stores both client secrets, and points the AWS SDK of this
 * process at moto (AWS_ENDPOINT_URL, region, dummy credentials) until `close()`.
 */
export async function startStack(prefix: string): Promise<Stack> {
  const [issuer, moto] = await Promise.all([startIssuer(issuerSetup()), startMoto()]);
  for (const [key, value] of Object.entries(moto.env())) vi.stubEnv(key, value);
  vi.stubEnv("AWS_SESSION_TOKEN", undefined);
  vi.stubEnv("AWS_PROFILE", undefined);
  const secretArns = {
    default: await moto.createSecret(`${prefix}/default`, {
      client_id: CLIENTS.default,
      client_secret: SECRETS.default,
    }),
    agents: await moto.createSecret(`${prefix}/agents`, {
      client_id: CLIENTS.agents,
      client_secret: SECRETS.agents,
    }),
  };
  const configJson = JSON.stringify(
    brokerConfigDoc({
      issuer: issuer.url,
      defaultSecretId: secretArns.default,
      agentsSecretId: secretArns.agents,
    }),
  );
  return {
    issuer,
    moto,
    secretArns,
    configJson,
    async close() {
      vi.unstubAllEnvs();
      await Promise.allSettled([issuer.close(), moto.stop()]);
    },
  };
}
