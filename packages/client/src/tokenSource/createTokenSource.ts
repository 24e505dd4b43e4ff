import {
  type CacheOutcome,
  type Clock,
  cacheKey,
  systemClock,
  TOKEN_REQUEST_LIMITS,
  type TokenResponse,
  tokenFingerprint,
} from "@mcp-token/core";
import { createLazyBrokerClient } from "../broker/lazyBrokerClient.js";
import type { BrokerClient } from "../broker/types.js";
import { toCredentialsProvider } from "../credentials/defaultCredentials.js";
import type { AwsCredentials, AwsCredentialsProvider } from "../credentials/types.js";
import { invalidArgument } from "../errors/invalidArgument.js";
import type { FetchLike } from "../http/types.js";
import { type CachedToken, createLayeredCache } from "./layeredCache.js";
import type { TokenStore, TokenStoreKey } from "./tokenStore.js";

/** Default minimum remaining lifetime (seconds) of a token handed out. */
export const DEFAULT_MIN_TTL_SECONDS = 300;

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /** The broker's Function URL (`https://<id>.lambda-url.<region>.on.aws/`); `http:` only for loopback. */
  brokerUrl: string;
  /** Broker profile. Default: `"default"`. */
  profile?: string;
  /** Scopes to request. Default: the profile's scopes. */
  scopes?: readonly string[];
  /** SigV4 signing region. Default: parsed from the Function URL host; required for other hosts. */
  region?: string;
  /** Static AWS credentials or a provider. Default: the AWS Node provider chain, loaded lazily. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** AWS shared-config profile for the default chain. Default: `AWS_PROFILE`, then `default`. */
  awsProfile?: string;
  /**
   * Seconds of lifetime a token must have left to be handed out (and asked of the broker).
   * Default: 300. Tokens are refreshed in the background after 75 % of their lifetime.
   */
  minTtlSeconds?: number;
  /** Persistent cache behind the in-memory one (e.g. `createDiskCache()`). Default: none. */
  cache?: TokenStore;
  /**
   * AWS identity fingerprint used in `cache` keys. Default: the access key id of the resolved
   * credentials. A cheaper resolver (e.g. `awsIdentityHint` from `@mcp-token/client/node`) lets a warm
   * cache answer without loading the AWS SDK; return `undefined` to fall back to the default.
   */
  identity?: () => Promise<string | undefined>;
  /** `fetch` implementation. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Clock (epoch milliseconds). Default: the system clock. */
  clock?: Clock;
  /** `User-Agent` for broker requests. Default: `mcp-token-client/<version>`. */
  userAgent?: string;
  /** Called when a background refresh or a cache write fails (the caller is still served). */
  onBackgroundError?: (error: unknown) => void;
}

/** A refreshing source of access tokens for one broker profile. */
export interface TokenSource {
  /**
   * An access token with at least `minTtlSeconds` left. Served from memory (then the persistent
   * cache, then the broker); concurrent callers share one broker request; after 75 % of a token's
   * lifetime one background refresh starts while the cached token is still served.
   */
  getToken(): Promise<string>;
  /** Like {@link TokenSource.getToken}, with the broker's whole token response. */
  getTokenResponse(): Promise<TokenResponse>;
  /**
   * Drops the cached token (memory and persistent cache) so the next call asks the broker again.
   * With `rejectedToken`, only drops it if it is still the cached one, so many callers reporting the
   * same rejection cause one refetch, and asks the broker for a token that outlives the rejected one.
   */
  invalidate(rejectedToken?: string): Promise<void>;
  /** How the last `getToken` was answered (`hit`, `miss`, `refresh`, `stale`), for logs and tests. */
  readonly lastOutcome: CacheOutcome | "store" | undefined;
  /**
   * The broker client this source uses (for `whoami`, `listProfiles`). Its `url` and `region` are
   * known at once; its implementation (response schemas, SigV4 signer) loads on its first call.
   */
  readonly broker: BrokerClient;
  readonly profile: string;
  readonly scopes: readonly string[];
}

/**
 * Creates a token source: SigV4-signed broker calls, refresh-ahead in-memory caching (core
 * `TokenCache`), optional persistent cache, typed errors (`BrokerError`, `CredentialsError`,
 * `BrokerConnectionError`).
 *
 * @example
 * ```ts
 * const source = createTokenSource({ brokerUrl: "https://abc.lambda-url.us-west-2.on.aws/", profile: "default" });
 * const token = await source.getToken();
 * ```
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  if (options === null || typeof options !== "object") throw invalidArgument(`"options" must be an object`);
  const profile = options.profile ?? "default";
  if (typeof profile !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(profile)) {
    throw invalidArgument(
      `"profile" must be a broker profile name (letters, digits, . _ -; at most 64), got ${JSON.stringify(profile)}`,
    );
  }
  const scopes = normaliseScopes(options.scopes);
  const minTtlSeconds = options.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS;
  if (
    !Number.isInteger(minTtlSeconds) ||
    minTtlSeconds < 0 ||
    minTtlSeconds > TOKEN_REQUEST_LIMITS.maxMinTtlSeconds
  ) {
    throw invalidArgument(
      `"minTtlSeconds" must be an integer from 0 to ${TOKEN_REQUEST_LIMITS.maxMinTtlSeconds} (seconds), got ${String(minTtlSeconds)}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const credentials = toCredentialsProvider(options.credentials, options.awsProfile);
  // The broker client (zod response schemas, SigV4 signer) loads on the first broker call only:
  // a token served from memory or the persistent cache never loads it.
  const broker = createLazyBrokerClient({
    brokerUrl: options.brokerUrl,
    credentials,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.awsProfile !== undefined ? { awsProfile: options.awsProfile } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  });
  const key = cacheKey(profile, scopes);
  let rejected: { token: string; expiresAt: number } | undefined;
  let identity: Promise<string> | undefined;

  async function storeKey(): Promise<TokenStoreKey> {
    identity ??= (async () => {
      const hint = options.identity ? await options.identity() : undefined;
      return hint ?? `akid:${(await credentials()).accessKeyId}`;
    })();
    try {
      return { brokerUrl: broker.url, profile, scopes, identity: await identity };
    } catch (error) {
      identity = undefined;
      throw error;
    }
  }

  async function fetchFromBroker(): Promise<CachedToken> {
    const started = clock.now();
    // A refresh ahead of expiry asks for a token that outlives the one it replaces (the broker caps
    // this at half a token's lifetime). After a rejection it names the rejected token's fingerprint,
    // so the broker replaces that token even if it is young, instead of handing it back.
    let askMinTtl = minTtlSeconds;
    const replacing = Math.max(cache.peek()?.expiresAt ?? 0, rejected?.expiresAt ?? 0);
    if (replacing > started) askMinTtl = Math.max(askMinTtl, Math.ceil((replacing - started) / 1000) + 1);
    askMinTtl = Math.min(askMinTtl, TOKEN_REQUEST_LIMITS.maxMinTtlSeconds);
    const replaces = rejected ? await tokenFingerprint(rejected.token) : undefined;
    const response = await broker.requestToken({
      profile,
      scopes,
      ...(askMinTtl > 0 ? { minTtlSeconds: askMinTtl } : {}),
      ...(replaces !== undefined ? { replaces } : {}),
    });
    const now = clock.now();
    return { issuedAt: now, expiresAt: localExpiry(response, now), response };
  }

  const cache = createLayeredCache({
    clock,
    minTtlSeconds,
    key,
    fetch: fetchFromBroker,
    store: options.cache,
    storeKey,
    usable: (token, now) =>
      !(rejected && token.response.access_token === rejected.token) &&
      token.expiresAt - now >= minTtlSeconds * 1000,
    onBackgroundError: options.onBackgroundError ?? (() => {}),
  });

  return {
    getTokenResponse: () => cache.get(),
    async getToken() {
      return (await cache.get()).access_token;
    },
    async invalidate(rejectedToken?: string) {
      const current = cache.peek();
      if (rejectedToken !== undefined) {
        if (current && current.response.access_token !== rejectedToken) return;
        if (!rejected || rejected.token !== rejectedToken) {
          rejected = { token: rejectedToken, expiresAt: current?.expiresAt ?? clock.now() };
        }
      }
      await cache.drop();
    },
    get lastOutcome() {
      return cache.lastOutcome;
    },
    broker,
    profile,
    scopes,
  };
}

/**
 * When the token expires on the local clock. `expires_in` is whole seconds rounded down, so
 * `now + expires_in` can be up to a second early (half the life of a 2 s token); `expires_at` is
 * absolute but on the broker's clock. Take `expires_at` when it lies within that second after the
 * relative value, so clock skew can never move the expiry by more than the rounding did.
 */
function localExpiry(response: TokenResponse, now: number): number {
  const relative = now + response.expires_in * 1000;
  const absolute = Date.parse(response.expires_at);
  return Number.isFinite(absolute) ? Math.min(Math.max(absolute, relative), relative + 1000) : relative;
}

function normaliseScopes(scopes: readonly string[] | undefined): string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes)) throw invalidArgument(`"scopes" must be an array of strings`);
  if (scopes.length > TOKEN_REQUEST_LIMITS.maxScopes) {
    throw invalidArgument(`"scopes" must have at most ${TOKEN_REQUEST_LIMITS.maxScopes} entries`);
  }
  for (const [i, scope] of scopes.entries()) {
    if (typeof scope !== "string" || !/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/.test(scope)) {
      throw invalidArgument(
        `"scopes[${i}]" must be an OAuth scope token (1-128 printable characters, no spaces or quotes)`,
      );
    }
  }
  return [...new Set(scopes)].sort();
}
