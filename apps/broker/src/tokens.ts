/**
 * Serving tokens: the core `TokenCache` in front of issuance. Issuance reads the client secret, asks the
 * issuer, and on `invalid_client` re-reads the secret bypassing its cache and retries exactly once
 * (rotation). Failures are logged here (with secrets scrubbed) and mapped to `BrokerError`s.
 *
 * With a shared tier (`sharedCache/tier.ts`, DynamoDB when `MCP_TOKEN_CACHE_TABLE` is set), the memory
 * cache's fetcher goes through it: a memory miss, and a background refresh, first look in the shared
 * store and take its lease, so all instances together issue about one token per refresh window.
 */
import {
  BrokerError,
  type CacheOutcome,
  type CallerIdentity,
  type Clock,
  cacheKey,
  callerKey,
  isBrokerError,
  type ProfileConfig,
  type TokenCache,
  tokenFingerprint,
} from "@mcp-token/core";
import type { IssuanceBudget } from "./issuanceBudget.js";
import type { BrokerLogger, SecretScrubber } from "./logger.js";
import { type SecretProvider, SecretReadError } from "./secrets.js";
import { sharedItemKey } from "./sharedCache/itemKey.js";
import type { SharedTier } from "./sharedCache/tier.js";
import type { CachedToken, SharedCacheOutcome } from "./types.js";
import type { UpstreamClient } from "./upstream/client.js";
import { isUpstreamError } from "./upstream/errors.js";

/** A served token and how the cache produced it. */
export interface ServedToken {
  token: CachedToken;
  outcome: CacheOutcome;
  /** How the shared tier answered, when this request waited for a fetch that went through it. */
  sharedCache?: SharedCacheOutcome;
}

/** Options for {@link createTokenService}. */
export interface TokenServiceOptions {
  cache: TokenCache<CachedToken>;
  secrets: SecretProvider;
  upstream: UpstreamClient;
  clock: Clock;
  logger: BrokerLogger;
  scrubber: SecretScrubber;
  /** Shared second tier under the memory cache. Default none (memory only). */
  shared?: SharedTier;
  /** Per-principal issuance budget, taken before every upstream issuance. Default none. */
  budget?: IssuanceBudget;
}

/** One token request as the token service sees it (already authorised). */
export interface TokenServiceRequest {
  /** Profile name. */
  name: string;
  profile: ProfileConfig;
  /** Effective scopes (sorted, de-duplicated). */
  scopes: readonly string[];
  /** Requested minimum remaining lifetime, capped at half the token's lifetime ({@link effectiveMinTtl}). */
  minTtlSeconds: number;
  /** Whose issuance budget an issuance this request causes is charged to (see `issuanceBudget.ts`). */
  budgetKey?: string;
  /** `tokenFingerprint` of a token the caller saw rejected: replace it if it is the one held. */
  replaces?: string;
  /**
   * The caller, for `identity: "caller"` profiles: named in the token request (the Auth0 Action turns
   * it into claims) and part of the cache key, so each caller gets and keeps its own token.
   */
  caller?: CallerIdentity;
}

/** Serves cached tokens, issuing on a miss. */
export interface TokenService {
  /**
   * Returns a token for the request's profile and scopes (and caller) with at least `minTtlSeconds`
   * left, capped at half the token's lifetime. When the cached token's fingerprint is `replaces` (the
   * caller saw it rejected), it is dropped and a token outliving it is fetched instead.
   * @throws {BrokerError} `rate_limited`, `upstream_rejected`, `upstream_unavailable` or `internal_error`.
   */
  get(request: TokenServiceRequest): Promise<ServedToken>;
}

/** Default `Retry-After` when the issuer named none, seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** Maps an issuance failure to the wire error. */
export function toBrokerError(error: unknown, profileName: string): BrokerError {
  if (isBrokerError(error)) return error;
  if (isUpstreamError(error)) {
    if (error.kind === "rejected") {
      const detail = [error.error, error.description].filter(Boolean).join(": ");
      return new BrokerError(
        "upstream_rejected",
        `The issuer refused the token request for profile "${profileName}"${detail ? ` (${detail})` : ""}. ` +
          "An operator should check the profile's client secret, client grant and audience.",
        { cause: error },
      );
    }
    const seconds =
      error.retryAfterMs !== undefined
        ? Math.min(300, Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
        : DEFAULT_RETRY_AFTER_SECONDS;
    return new BrokerError(
      "upstream_unavailable",
      `The issuer for profile "${profileName}" is unavailable; retry after ${seconds} s.`,
      { cause: error, retryAfterSeconds: seconds },
    );
  }
  if (error instanceof SecretReadError) {
    if (error.kind === "unavailable") {
      return new BrokerError(
        "upstream_unavailable",
        `Secrets Manager is unavailable for profile "${profileName}"; retry after ${DEFAULT_RETRY_AFTER_SECONDS} s.`,
        { cause: error, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS },
      );
    }
    return new BrokerError(
      "internal_error",
      `The broker cannot use the client secret of profile "${profileName}"; an operator should check the broker log for this request_id.`,
      { cause: error },
    );
  }
  return new BrokerError(
    "internal_error",
    "The broker failed unexpectedly; an operator should check its log for this request_id.",
    {
      cause: error,
    },
  );
}

/**
 * The minimum remaining lifetime to ask the cache for: the requested one, capped at half the lifetime of
 * the token the cache holds (known once one was issued). Without the cap a caller asking for nearly the
 * whole lifetime would make almost every request issue a new token (Auth0 meters them); with it, one
 * cache key costs at most about two issuances per token lifetime whatever callers ask for.
 */
export function effectiveMinTtl(requestedSeconds: number, cached: CachedToken | undefined): number {
  if (!cached) return requestedSeconds;
  const halfLifetimeSeconds = Math.floor((cached.expiresAt - cached.issuedAt) / 2000);
  return Math.min(requestedSeconds, halfLifetimeSeconds);
}

/**
 * The client id lives in one place, the secret; a deployment that also knows it (for the MCP server's
 * allowed clients) sets `expectedClientId`, and a secret holding another one is refused here, naming
 * both, rather than issuing tokens the MCP server would reject.
 */
function checkClientId(name: string, profile: ProfileConfig, clientId: string): void {
  if (profile.expectedClientId === undefined || profile.expectedClientId === clientId) return;
  throw new BrokerError(
    "internal_error",
    `The broker's client secret for profile "${name}" belongs to another Auth0 application; an operator should check the broker log for this request_id.`,
    {
      cause: new Error(
        `secret ${profile.secretId} holds client_id ${JSON.stringify(clientId)} but profiles.${name}.expectedClientId is ${JSON.stringify(profile.expectedClientId)} (stage auth0.clientId): put that application's credentials in the secret, or correct auth0.clientId`,
      ),
    },
  );
}

/**
 * The memory cache key (and, hashed, the shared tier's): profile and scopes, plus the caller for
 * per-caller requests. A newline separates the caller: neither profile names nor scopes contain one.
 */
export function tokenCacheKey(request: Pick<TokenServiceRequest, "name" | "scopes" | "caller">): string {
  const base = cacheKey(request.name, request.scopes);
  return request.caller ? `${base}\n${callerKey(request.caller)}` : base;
}

/** Creates a {@link TokenService}. */
export function createTokenService(opts: TokenServiceOptions): TokenService {
  const { cache, secrets, upstream, clock, logger, scrubber, shared, budget } = opts;

  async function issue(request: TokenServiceRequest): Promise<CachedToken> {
    const { name, profile, scopes, budgetKey, caller } = request;
    if (budget && budgetKey !== undefined) budget.take(budgetKey);
    let credentials = await secrets.getClientCredentials(profile.secretId);
    scrubber.add(credentials.clientSecret);
    checkClientId(name, profile, credentials.clientId);
    const requestedAt = clock.now();
    let issued: Awaited<ReturnType<UpstreamClient["issueToken"]>>;
    try {
      issued = await upstream.issueToken(profile, scopes, credentials, caller);
    } catch (error) {
      if (!isUpstreamError(error) || !error.isInvalidClient) throw error;
      logger.warn("issuer rejected the client credentials; re-reading the secret and retrying once", {
        profile: name,
        secretId: profile.secretId,
      });
      credentials = await secrets.getClientCredentials(profile.secretId, { forceFetch: true });
      scrubber.add(credentials.clientSecret);
      checkClientId(name, profile, credentials.clientId);
      issued = await upstream.issueToken(profile, scopes, credentials, caller);
    }
    return {
      accessToken: issued.accessToken,
      issuedAt: requestedAt,
      expiresAt: requestedAt + issued.expiresInSeconds * 1000,
      scope: issued.scope ?? scopes.join(" "),
      fingerprint: await tokenFingerprint(issued.accessToken),
    };
  }

  /** The memory cache's fetcher: through the shared tier when there is one. */
  async function fetchToken(
    request: TokenServiceRequest,
    key: string,
    minTtlSeconds: number,
  ): Promise<CachedToken> {
    const { profile } = request;
    if (!shared) return issue(request);
    const minTtlMs = minTtlSeconds * 1000;
    // Called synchronously by the memory cache: a token it still holds that is good for minTtl means
    // this fetch is a background refresh.
    const held = cache.peek(key);
    const current = held && held.expiresAt - clock.now() >= minTtlMs ? held : undefined;
    const { token, outcome } = await shared.fetch({
      itemKey: sharedItemKey({ issuer: profile.issuer, audience: profile.audience, cacheKey: key }),
      minTtlMs,
      ...(current && { current }),
      credentials: async (credentialOpts) => {
        const credentials = await secrets.getClientCredentials(profile.secretId, credentialOpts);
        scrubber.add(credentials.clientSecret);
        return credentials;
      },
      issue: () => issue(request),
    });
    // The outcome travels with the token to every request that waited for this fetch.
    return { ...token, sharedCache: outcome };
  }

  return {
    async get(request) {
      const { name, replaces } = request;
      const key = tokenCacheKey(request);
      const held = cache.peek(key);
      let minTtlSeconds = effectiveMinTtl(request.minTtlSeconds, held);
      if (replaces !== undefined && held?.fingerprint === replaces) {
        // Only a caller holding the current token can name it; each replacement is one issuance and
        // is charged to the caller's budget. Requiring more lifetime than the rejected token has
        // also makes the shared tier pass over its copy of it.
        cache.invalidate(key);
        minTtlSeconds = Math.max(minTtlSeconds, Math.ceil((held.expiresAt - clock.now()) / 1000) + 1);
      }
      try {
        const served: ServedToken = await cache.lookup(
          key,
          () =>
            fetchToken(request, key, minTtlSeconds).catch((error: unknown) => {
              const level = isBrokerError(error) && error.code === "rate_limited" ? "warn" : "error";
              logger[level]("token issuance failed", { profile: name, error: scrubber.describeError(error) });
              throw error;
            }),
          { minTtlSeconds },
        );
        const sharedCache = served.outcome === "miss" ? served.token.sharedCache : undefined;
        return sharedCache ? { ...served, sharedCache } : served;
      } catch (error) {
        throw toBrokerError(error, name);
      }
    },
  };
}
