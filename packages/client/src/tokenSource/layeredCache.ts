/**
 * The caching both token sources share (the broker's and STS's): core's `TokenCache` in memory
 * (refresh ahead, single flight) in front of an optional persistent `TokenStore` (the CLI's disk cache)
 * in front of the source's own fetch. One module, so broker and STS tokens are served, stored, refreshed
 * and dropped alike.
 */
import { type CacheOutcome, type Clock, TokenCache, type TokenResponse } from "@mcp-token/core";
import type { StoredToken, TokenStore, TokenStoreKey } from "./tokenStore.js";

/** A token in memory: when it was obtained and expires (local clock), and the response. */
export interface CachedToken {
  issuedAt: number;
  expiresAt: number;
  response: TokenResponse;
}

export interface LayeredCacheOptions {
  clock: Clock;
  minTtlSeconds: number;
  /** Memory cache key (one per source). */
  key: string;
  /** Fetches a fresh token from the source. */
  fetch: () => Promise<CachedToken>;
  store?: TokenStore | undefined;
  /** The persistent key; resolved only when a store is used. */
  storeKey: () => Promise<TokenStoreKey>;
  /** Whether a stored token may be served now (beyond its remaining lifetime: not a rejected one). */
  usable: (token: StoredToken, now: number) => boolean;
  onBackgroundError: (error: unknown) => void;
}

export interface LayeredCache {
  get(): Promise<TokenResponse>;
  /** The token held in memory, if any. */
  peek(): CachedToken | undefined;
  /** Drops the token from memory and the store. */
  drop(): Promise<void>;
  readonly lastOutcome: CacheOutcome | "store" | undefined;
}

export function createLayeredCache(opts: LayeredCacheOptions): LayeredCache {
  const { clock, minTtlSeconds, key, store, onBackgroundError } = opts;
  const memory = new TokenCache<CachedToken>({
    clock,
    defaultMinTtlSeconds: minTtlSeconds,
    onBackgroundError: (_key, error) => onBackgroundError(error),
  });
  let lastOutcome: LayeredCache["lastOutcome"];

  async function fetcher(): Promise<CachedToken> {
    if (!store) return opts.fetch();
    const k = await opts.storeKey();
    const stored = await store.get(k).catch(() => undefined);
    if (stored && opts.usable(stored, clock.now())) {
      lastOutcome = "store";
      return { issuedAt: stored.obtainedAt, expiresAt: stored.expiresAt, response: stored.response };
    }
    const fresh = await opts.fetch();
    await store
      .set(k, { response: fresh.response, obtainedAt: fresh.issuedAt, expiresAt: fresh.expiresAt })
      .catch(onBackgroundError);
    return fresh;
  }

  return {
    async get() {
      lastOutcome = undefined;
      const { token, outcome } = await memory.lookup(key, fetcher, { minTtlSeconds });
      if (lastOutcome !== "store" || outcome !== "miss") lastOutcome = outcome;
      return token.response;
    },
    peek: () => memory.peek(key),
    async drop() {
      memory.invalidate(key);
      if (store) await store.delete(await opts.storeKey()).catch(onBackgroundError);
    },
    get lastOutcome() {
      return lastOutcome;
    },
  };
}
