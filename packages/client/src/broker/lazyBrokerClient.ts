import { toCredentialsProvider } from "../credentials/defaultCredentials.js";
import { resolveBrokerEndpoint } from "./brokerEndpoint.js";
import type { BrokerClient, BrokerClientOptions } from "./types.js";

/**
 * A {@link BrokerClient} that checks its options at once but imports the real client (zod response
 * schemas, and through it the SigV4 signer) on its first broker call. A token source answered from
 * its cache never calls the broker, so a short-lived process such as `mcp-token headers` on a warm
 * disk cache never parses those modules (zod alone is ~250 KB of JavaScript to load at start-up).
 */
export function createLazyBrokerClient(options: BrokerClientOptions): BrokerClient {
  const { base, region } = resolveBrokerEndpoint(options);
  const credentials = toCredentialsProvider(options.credentials, options.awsProfile);
  let client: Promise<BrokerClient> | undefined;

  function load(): Promise<BrokerClient> {
    client ??= import("./brokerClient.js").then(
      ({ createBrokerClient }) => createBrokerClient({ ...options, credentials }),
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  }

  return {
    url: base.href,
    region,
    async requestToken(request) {
      return (await load()).requestToken(request);
    },
    async listProfiles() {
      return (await load()).listProfiles();
    },
    async whoami() {
      return (await load()).whoami();
    },
    credentials,
  };
}
