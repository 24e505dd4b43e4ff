/**
 * The broker's world, in this process, built from the real pieces: the testkit issuer (Auth0 stand-in),
 * moto_server (Secrets Manager) behind a {@link startAwsFaultProxy fault proxy}, the broker's production
 * runtime (`createRuntime`: configuration from the environment, the module-scope token cache, the
 * Secrets Manager provider on the AWS SDK) with a recording logger, behind the testkit's SigV4-verifying
 * Function URL emulator. Token lifetimes and timeouts are short so faults and recovery take seconds.
 */
import {
  createDynamoDbTokenStore,
  createRuntime,
  createSecretsManagerProvider,
  noopMetrics,
  type Runtime,
  sharedCacheTableDefinition,
} from "@mcp-token/broker";
import { cacheKey } from "@mcp-token/core";
import {
  defaultIdentities,
  type FunctionUrlEmulator,
  type LocalIdentity,
  type LocalIssuer,
  type MotoServer,
  startFunctionUrlEmulator,
  startIssuer,
  startMoto,
} from "@mcp-token/testkit";
import type { LeakAudit } from "../audit/leakAudit.js";
import { type AwsFaultProxy, startAwsFaultProxy } from "./awsFaultProxy.js";
import { awsJsonCall } from "./motoCalls.js";
import { recordingLogger } from "./recordingLogger.js";

/** The fixed names of the broker stack. */
export const STACK = {
  region: "us-west-2",
  accountId: "123456789012",
  clientId: "reliability-m2m-client",
  audience: "https://mcp.reliability.test/",
  scopes: ["mcp:invoke"],
  secretName: "mcp-token/reliability/auth0",
  profile: "default",
} as const;

/** The broker cache key of the default profile with its scopes. */
export const DEFAULT_CACHE_KEY = cacheKey(STACK.profile, STACK.scopes);

/** Options of {@link startBrokerStack}. */
export interface BrokerStackOptions {
  /** Where every log line goes and every secret is registered. */
  audit: LeakAudit;
  /** Access-token lifetime at the issuer, seconds; default 2. */
  tokenLifetimeSeconds?: number;
  /** The profile's `minTtlSeconds`; default 0. */
  minTtlSeconds?: number;
  /** Broker environment overrides (timeouts, attempts, secret cache age). */
  env?: Record<string, string>;
  /** Broker instances (runtimes with their own memory caches) behind the one Function URL; default 1. */
  instances?: number;
  /** Give the broker the shared DynamoDB cache tier (a table on moto, behind its own fault proxy). */
  sharedCache?: boolean;
}

/** The running stack. */
export interface BrokerStack {
  issuer: LocalIssuer;
  moto: MotoServer;
  /** Fault proxy between the broker and Secrets Manager. */
  secretsProxy: AwsFaultProxy;
  /** Fault proxy between the broker and the shared cache table (with `sharedCache`). */
  tableProxy: AwsFaultProxy | undefined;
  /** The first instance. */
  runtime: Runtime;
  runtimes: Runtime[];
  emulator: FunctionUrlEmulator;
  identities: { developer: LocalIdentity; agent: LocalIdentity; outsider: LocalIdentity };
  clientSecret: string;
  /** Secret name in Secrets Manager (the profile's `secretId`). */
  secretId: string;
  /** Latest expiry (epoch ms) of any instance's cached token for the default profile, if one is unexpired. */
  cachedExpiry(): number | undefined;
  close(): Promise<void>;
}

/** Broker settings for fault tests: bounded, sub-second upstream timeouts. */
export const FAST_BROKER_ENV = {
  MCP_TOKEN_UPSTREAM_DEADLINE_MS: "1500",
  MCP_TOKEN_UPSTREAM_TIMEOUT_MS: "600",
  MCP_TOKEN_UPSTREAM_CONNECT_TIMEOUT_MS: "400",
  MCP_TOKEN_UPSTREAM_MAX_ATTEMPTS: "3",
  MCP_TOKEN_SECRET_MAX_AGE_SECONDS: "1",
} as const;

/** Shared cache settings for fault tests: short call bound, lease and wait. */
export const FAST_SHARED_CACHE_ENV = {
  MCP_TOKEN_CACHE_TIMEOUT_MS: "300",
  MCP_TOKEN_CACHE_LEASE_MS: "2000",
  MCP_TOKEN_CACHE_WAIT_MS: "1000",
} as const;

/** A random client secret with characters that change under URL and JSON encoding. */
export function randomClientSecret(): string {
  return `${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64")}+/=`;
}

/** The testkit issuer with the suites' API (RFC 9068 profile) and M2M client. */
export function startSuiteIssuer(opts: { ttlSeconds: number; clientSecret: string }): Promise<LocalIssuer> {
  return startIssuer({
    apis: [
      {
        audience: STACK.audience,
        profile: "rfc9068",
        ttlSeconds: opts.ttlSeconds,
        scopes: [...STACK.scopes],
      },
    ],
    clients: [
      {
        clientId: STACK.clientId,
        clientSecret: opts.clientSecret,
        grants: { [STACK.audience]: [...STACK.scopes] },
      },
    ],
  });
}

/**
 * The broker configuration of the suites: profile `default` (and any `extraProfiles`, identical but
 * for the name, so each has its own cache entry) for the developer SSO role and the agent role.
 */
export function brokerConfigDocument(opts: {
  issuerUrl: string;
  secretId: string;
  minTtlSeconds?: number;
  extraProfiles?: string[];
}): {
  profiles: Record<string, Record<string, unknown>>;
  issuanceBudget: { max: number; windowSeconds: number };
} {
  const profile = {
    issuer: opts.issuerUrl,
    audience: STACK.audience,
    secretId: opts.secretId,
    scopes: [...STACK.scopes],
    requestStyle: "auth0",
    allow: [
      `arn:aws:sts::${STACK.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
      `arn:aws:iam::${STACK.accountId}:role/mcp-agent`,
    ],
    minTtlSeconds: opts.minTtlSeconds ?? 0,
  };
  const profiles: Record<string, Record<string, unknown>> = { [STACK.profile]: profile };
  for (const name of opts.extraProfiles ?? []) profiles[name] = { ...profile };
  // The fault suites run second-long tokens for minutes, so each caller causes hundreds of issuances:
  // far beyond the production budget (20 per hour), which a dedicated broker test covers. Here the
  // budget must not be what a fault scenario measures.
  return { profiles, issuanceBudget: { max: 10_000, windowSeconds: 60 } };
}

/** Name of the shared cache table the stack creates with `sharedCache`. */
export const CACHE_TABLE = "mcp-token-reliability-cache";

/** Starts the stack; on failure whatever started is stopped again. */
export async function startBrokerStack(opts: BrokerStackOptions): Promise<BrokerStack> {
  const cleanup: (() => Promise<unknown>)[] = [];
  const close = async () => {
    while (cleanup.length > 0)
      await cleanup
        .pop()?.()
        .catch(() => {});
  };
  try {
    const clientSecret = randomClientSecret();
    opts.audit.sensitive(clientSecret);
    const ids = defaultIdentities({ accountId: STACK.accountId });
    for (const id of Object.values(ids)) opts.audit.sensitive(id.secretAccessKey, id.sessionToken);
    const issuer = await startSuiteIssuer({ ttlSeconds: opts.tokenLifetimeSeconds ?? 2, clientSecret });
    cleanup.push(() => issuer.close());

    const moto = await startMoto({ region: STACK.region });
    cleanup.push(() => moto.stop());
    await moto.createSecret(STACK.secretName, { client_id: STACK.clientId, client_secret: clientSecret });
    const secretsProxy = await startAwsFaultProxy(moto.endpoint);
    cleanup.push(() => secretsProxy.close());
    let tableProxy: AwsFaultProxy | undefined;
    if (opts.sharedCache) {
      const def = sharedCacheTableDefinition(CACHE_TABLE);
      await awsJsonCall(
        moto.endpoint,
        STACK.region,
        "dynamodb",
        "DynamoDB_20120810.CreateTable",
        def.createTable,
      );
      await awsJsonCall(
        moto.endpoint,
        STACK.region,
        "dynamodb",
        "DynamoDB_20120810.UpdateTimeToLive",
        def.timeToLive,
      );
      const proxy = await startAwsFaultProxy(moto.endpoint);
      tableProxy = proxy;
      cleanup.push(() => proxy.close());
    }
    const awsClientConfig = (endpoint: string) => ({
      endpoint,
      region: STACK.region,
      credentials: moto.credentials,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 300, requestTimeout: 1000 },
    });

    const config = brokerConfigDocument({
      issuerUrl: issuer.url,
      secretId: STACK.secretName,
      minTtlSeconds: opts.minTtlSeconds ?? 0,
    });
    const env: Record<string, string> = {
      MCP_TOKEN_BROKER_CONFIG: JSON.stringify(config),
      ...FAST_BROKER_ENV,
      ...(opts.sharedCache ? { MCP_TOKEN_CACHE_TABLE: CACHE_TABLE, ...FAST_SHARED_CACHE_ENV } : {}),
      ...opts.env,
    };
    const runtimes: Runtime[] = [];
    for (let i = 0; i < (opts.instances ?? 1); i++) {
      const runtime = createRuntime({
        env,
        logger: recordingLogger(opts.audit, `broker-${i + 1}`),
        metrics: noopMetrics,
        secrets: createSecretsManagerProvider({
          maxAgeSeconds: Number(env.MCP_TOKEN_SECRET_MAX_AGE_SECONDS),
          clientConfig: awsClientConfig(secretsProxy.url),
        }),
        ...(tableProxy && {
          sharedStore: createDynamoDbTokenStore({
            tableName: CACHE_TABLE,
            timeoutMs: Number(env.MCP_TOKEN_CACHE_TIMEOUT_MS),
            clientConfig: awsClientConfig(tableProxy.url),
          }),
        }),
      });
      if (!runtime.startup.ok) throw new Error(`broker configuration rejected: ${runtime.startup.message}`);
      runtimes.push(runtime);
    }
    let next = 0;
    const emulator = await startFunctionUrlEmulator({
      // Several instances behind one Function URL: requests go round-robin, as Lambda spreads them.
      handler: (event, context) => (runtimes[next++ % runtimes.length] as Runtime).handler(event, context),
      identities: [ids.developer, ids.agent, ids.outsider],
      region: STACK.region,
      accountId: STACK.accountId,
    });
    cleanup.push(() => emulator.close());
    return {
      issuer,
      moto,
      secretsProxy,
      tableProxy,
      runtime: runtimes[0] as Runtime,
      runtimes,
      emulator,
      identities: ids,
      clientSecret,
      secretId: STACK.secretName,
      cachedExpiry: () => {
        const expiries = runtimes.map((r) => r.cache?.peek(DEFAULT_CACHE_KEY)?.expiresAt ?? 0);
        const best = Math.max(...expiries);
        return best > 0 ? best : undefined;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
