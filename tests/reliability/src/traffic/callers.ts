/**
 * Callers for fault traffic: raw broker requests (what the broker answers, observed directly) and the
 * client library's token source (what an application using `@mcp-token/client` sees).
 */
import {
  type BrokerClient,
  BrokerConnectionError,
  createBrokerClient,
  createTokenSource,
  isBrokerError,
  type TokenSource,
} from "@mcp-token/client";
import type { LocalIdentity } from "@mcp-token/testkit";
import type { LeakAudit } from "../audit/leakAudit.js";
import type { Caller, CallResult } from "./traffic.js";

/** A short, stable code for an error a caller saw. */
export function errorCode(error: unknown): string {
  if (isBrokerError(error)) return `${error.status} ${error.code}`;
  if (error instanceof BrokerConnectionError) {
    const inner = (error.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const name = (error.cause as { name?: string } | undefined)?.name;
    return `unreachable ${typeof inner === "string" ? inner : (name ?? "")}`.trim();
  }
  if (error instanceof Error) return error.name;
  return "unknown";
}

function credentialsOf(id: LocalIdentity) {
  return {
    accessKeyId: id.accessKeyId,
    secretAccessKey: id.secretAccessKey,
    ...(id.sessionToken ? { sessionToken: id.sessionToken } : {}),
  };
}

/** A SigV4 broker client for `identity`. */
export function brokerClientFor(brokerUrl: string, region: string, identity: LocalIdentity): BrokerClient {
  return createBrokerClient({ brokerUrl, region, credentials: credentialsOf(identity), timeoutMs: 5000 });
}

/**
 * A caller making raw `POST /v1/token` requests with `minTtlSeconds: 0`, so every call reaches the
 * broker and the broker's cache decides. `cachedExpiry` is the broker cache's view.
 */
export function brokerCaller(opts: {
  name: string;
  brokerUrl: string;
  region: string;
  identity: LocalIdentity;
  audit: LeakAudit;
  cachedExpiry: () => number | undefined;
}): Caller {
  const client = brokerClientFor(opts.brokerUrl, opts.region, opts.identity);
  return {
    name: opts.name,
    kind: "broker",
    cachedExpiry: opts.cachedExpiry,
    async call(): Promise<CallResult> {
      try {
        const token = await client.requestToken({ profile: "default", minTtlSeconds: 0 });
        opts.audit.sensitive(token.access_token);
        return { ok: true, code: "200" };
      } catch (error) {
        return { ok: false, code: errorCode(error) };
      }
    },
  };
}

/**
 * A caller using the client library's token source (memory cache, refresh ahead, `minTtlSeconds: 0`).
 * `cachedExpiry` is the expiry of the last token it was given.
 */
export function clientCaller(opts: {
  name: string;
  brokerUrl: string;
  region: string;
  identity: LocalIdentity;
  audit: LeakAudit;
  source?: TokenSource;
}): Caller & { source: TokenSource } {
  const source =
    opts.source ??
    createTokenSource({
      brokerUrl: opts.brokerUrl,
      region: opts.region,
      credentials: credentialsOf(opts.identity),
      minTtlSeconds: 0,
      onBackgroundError: () => {},
    });
  let expiry: number | undefined;
  return {
    name: opts.name,
    kind: "client",
    source,
    cachedExpiry: () => (expiry !== undefined && expiry > Date.now() ? expiry : undefined),
    async call(): Promise<CallResult> {
      try {
        const token = await source.getTokenResponse();
        opts.audit.sensitive(token.access_token);
        expiry = Date.parse(token.expires_at);
        return { ok: true, code: "ok" };
      } catch (error) {
        return { ok: false, code: errorCode(error) };
      }
    },
  };
}

/**
 * The four callers every fault scenario drives: raw broker requests and the client library, each as
 * the `developer` (SSO session) and the `agent` (role) identity.
 */
export function standardCallers(
  stack: {
    emulator: { url: string };
    identities: { developer: LocalIdentity; agent: LocalIdentity };
    cachedExpiry(): number | undefined;
  },
  region: string,
  audit: LeakAudit,
): Caller[] {
  const base = { brokerUrl: stack.emulator.url, region, audit };
  const cachedExpiry = () => stack.cachedExpiry();
  return [
    brokerCaller({ ...base, name: "broker-dev", identity: stack.identities.developer, cachedExpiry }),
    brokerCaller({ ...base, name: "broker-agent", identity: stack.identities.agent, cachedExpiry }),
    clientCaller({ ...base, name: "client-dev", identity: stack.identities.developer }),
    clientCaller({ ...base, name: "client-agent", identity: stack.identities.agent }),
  ];
}
