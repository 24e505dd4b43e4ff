/** An in-process broker wired to a real local issuer, with fakes for secrets, logs and sleep. */
import { type BrokerConfig, type Clock, parseBrokerConfig } from "@mcp-token/core";
import type { LocalIdentity, LocalIssuer } from "@mcp-token/testkit";
import { type Broker, createBroker } from "../../src/broker.js";
import type { BrokerSettings } from "../../src/env.js";
import { issuerFetch, memorySecrets, recordingSleep } from "./fakes.js";
import { brokerConfigDoc, CLIENTS, iamOf, SECRETS } from "./fixtures.js";
import { recordingLogger, recordSensitive } from "./logs.js";

export const SECRET_IDS = { default: "mcp-token/default", agents: "mcp-token/agents" } as const;

export function testConfig(issuer: LocalIssuer, extraProfiles: Record<string, unknown> = {}): BrokerConfig {
  const doc = brokerConfigDoc({
    issuer: issuer.url,
    defaultSecretId: SECRET_IDS.default,
    agentsSecretId: SECRET_IDS.agents,
  }) as { profiles: Record<string, unknown> };
  return parseBrokerConfig({ profiles: { ...doc.profiles, ...extraProfiles } });
}

export function makeBroker(
  issuer: LocalIssuer,
  opts: {
    clock?: Clock;
    settings?: Partial<BrokerSettings>;
    config?: BrokerConfig;
    sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const secrets = memorySecrets({
    [SECRET_IDS.default]: { clientId: CLIENTS.default, clientSecret: SECRETS.default },
    [SECRET_IDS.agents]: { clientId: CLIENTS.agents, clientSecret: SECRETS.agents },
  });
  const logger = recordingLogger();
  const sleep = recordingSleep();
  const broker = createBroker({
    config: opts.config ?? testConfig(issuer),
    secrets,
    logger,
    sleep: opts.sleep ?? sleep,
    fetch: issuerFetch(issuer),
    settings: {
      upstreamDeadlineMs: 3000,
      upstreamTimeoutMs: 1000,
      upstreamConnectTimeoutMs: 1000,
      ...opts.settings,
    },
    ...(opts.clock && { clock: opts.clock }),
  });
  return { broker, secrets, logger, sleep };
}

let counter = 0;

/** Calls `broker.handle` as `identity` (or with no IAM context when `identity` is null). */
export async function call(
  broker: Pick<Broker, "handle">,
  identity: LocalIdentity | null,
  init: { method?: string; path: string; body?: string; headers?: Record<string, string> },
): Promise<Response> {
  const request = new Request(`https://broker.lambda-url.us-west-2.on.aws${init.path}`, {
    method: init.method ?? "GET",
    ...(init.headers && { headers: init.headers }),
    ...(init.body !== undefined && { body: init.body }),
  });
  counter += 1;
  const res = await broker.handle(request, {
    requestId: `req-${counter}`,
    identity: identity ? iamOf(identity) : undefined,
  });
  return res;
}

/** Reads a token response and registers its token as sensitive. */
export async function tokenBody(res: Response): Promise<Record<string, unknown> & { access_token: string }> {
  const body = (await res.json()) as Record<string, unknown> & { access_token: string };
  if (typeof body.access_token === "string") recordSensitive(body.access_token);
  return body;
}
