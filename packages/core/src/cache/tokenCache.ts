/**
 * TokenCache: the in-memory token cache shared by the broker and the clients.
 *
 * Semantics (ARCHITECTURE.md, "Token cache semantics"); all times come from the injected clock:
 *
 * - **Serve while fresh enough.** A cached token is served while `expiresAt − now ≥ minTtl`
 *   (`minTtlSeconds` per call, default 300 s). Exactly at the boundary it is still served.
 * - **Refresh ahead.** Once `now ≥ issuedAt + refreshAheadRatio × (expiresAt − issuedAt)` (75 % of the
 *   lifetime by default), a request that is served from cache also starts **one** background refresh
 *   (outcome `"refresh"`); further requests keep getting the cached token until it lands.
 * - **Single flight.** Concurrent misses for one key, and a miss arriving during a background refresh,
 *   share one fetcher promise: one upstream call per key at a time.
 * - **Failures.** If the fetcher fails while the cached token is still unexpired (but below `minTtl`),
 *   that token is served (outcome `"stale"`); once it has expired the error is thrown. A failed
 *   background refresh never rejects unhandled: it is counted, passed to `onBackgroundError`, and not
 *   retried in the background for `failureBackoffSeconds`; the next miss calls the fetcher again.
 * - **Bounded.** At most `maxEntries` tokens; the least recently used is evicted (a `Map` in
 *   insertion order, re-inserted on every hit).
 * - A token returned by the fetcher is always handed to the waiting callers, even if its lifetime is
 *   already below `minTtl` (it is the best there is); it is cached unless it has already expired.
 */
import { type Clock, systemClock } from "../clock.js";

/** What the cache needs to know about a token. Times are epoch **milliseconds**. */
export interface CacheableToken {
  /** When the token expires, epoch ms. */
  expiresAt: number;
  /** When the token was issued (or fetched), epoch ms. */
  issuedAt: number;
}

/**
 * How a lookup was answered: `hit` from cache; `miss` from the fetcher (possibly shared with other
 * callers); `refresh` from cache while one background refresh was started; `stale` the fetcher failed
 * and a still-unexpired token below `minTtl` was served.
 */
export type CacheOutcome = "hit" | "miss" | "refresh" | "stale";

/** Counters, monotonically increasing since construction (published as metrics by the broker). */
export interface CacheStats {
  /** Lookups answered from cache (outcomes `hit` and `refresh`). */
  hits: number;
  /** Lookups that had to wait for the fetcher (outcomes `miss` and `stale`). */
  misses: number;
  /** Background refreshes started. */
  refreshes: number;
  /** Lookups answered with a stale token after a fetcher failure. */
  stale: number;
  /** Fetcher calls (misses and refreshes). */
  upstreamCalls: number;
  /** Fetcher failures (foreground and background). */
  errors: number;
  /** Tokens evicted to keep the size bound. */
  evictions: number;
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Most cached tokens (≥ 1). Default 1000. */
  maxEntries?: number;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock;
  /** Fraction of a token's lifetime after which a hit starts a background refresh, in (0, 1]. Default 0.75. */
  refreshAheadRatio?: number;
  /** `minTtlSeconds` when a call gives none, in seconds. Default 300. */
  defaultMinTtlSeconds?: number;
  /** After a failed fetch, no background refresh is started for this long, in seconds. Default 5. */
  failureBackoffSeconds?: number;
  /** Called with every background refresh failure (for logging). Exceptions it throws are ignored. */
  onBackgroundError?: (key: string, err: unknown) => void;
}

/** Per-call options of {@link TokenCache.get}. */
export interface CacheGetOptions {
  /** Minimum remaining lifetime of a served token, in seconds. Default: the cache's `defaultMinTtlSeconds`. */
  minTtlSeconds?: number;
}

interface Entry<T> {
  token: T;
  /** Epoch ms after which a hit starts a background refresh. */
  refreshAt: number;
}

const noop = () => {};

/**
 * An LRU-bounded, single-flight token cache with refresh-ahead. See the file header for the semantics.
 *
 * @example
 * const cache = new TokenCache<MyToken>({ clock });
 * const token = await cache.get(cacheKey(profile, scopes), () => fetchFromIssuer(profile), { minTtlSeconds: 300 });
 */
/** Fraction of a token's lifetime after which a served hit starts one background refresh (75 %). */
export const DEFAULT_REFRESH_AHEAD_RATIO = 0.75;

export class TokenCache<T extends CacheableToken> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #inflight = new Map<string, Promise<T>>();
  readonly #failedAt = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: Clock;
  readonly #ratio: number;
  readonly #defaultMinTtlMs: number;
  readonly #backoffMs: number;
  readonly #onBackgroundError: ((key: string, err: unknown) => void) | undefined;
  readonly #stats: CacheStats = {
    hits: 0,
    misses: 0,
    refreshes: 0,
    stale: 0,
    upstreamCalls: 0,
    errors: 0,
    evictions: 0,
  };

  constructor(opts: TokenCacheOptions = {}) {
    const maxEntries = opts.maxEntries ?? 1000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('"maxEntries" must be an integer of at least 1');
    }
    const ratio = opts.refreshAheadRatio ?? DEFAULT_REFRESH_AHEAD_RATIO;
    if (!(ratio > 0 && ratio <= 1)) throw new TypeError('"refreshAheadRatio" must be in (0, 1]');
    const minTtl = opts.defaultMinTtlSeconds ?? 300;
    checkSeconds("defaultMinTtlSeconds", minTtl);
    const backoff = opts.failureBackoffSeconds ?? 5;
    checkSeconds("failureBackoffSeconds", backoff);
    this.#maxEntries = maxEntries;
    this.#clock = opts.clock ?? systemClock;
    this.#ratio = ratio;
    this.#defaultMinTtlMs = minTtl * 1000;
    this.#backoffMs = backoff * 1000;
    this.#onBackgroundError = opts.onBackgroundError;
  }

  /** Number of cached tokens (expired ones included until they are looked up or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Get the token for `key`: from cache if it has at least `minTtlSeconds` left, else from `fetcher`
   * (one shared call for all concurrent callers). See the file header for refresh-ahead and failures.
   *
   * @param key Cache key, usually {@link cacheKey}`(profile, scopes)`.
   * @param fetcher Fetches a fresh token; called with `key`.
   * @throws whatever `fetcher` threw, when no unexpired token is cached.
   */
  async get(key: string, fetcher: (key: string) => Promise<T>, opts?: CacheGetOptions): Promise<T> {
    return (await this.lookup(key, fetcher, opts)).token;
  }

  /** Like {@link TokenCache.get}, and also says how the request was answered. */
  lookup(
    key: string,
    fetcher: (key: string) => Promise<T>,
    opts?: CacheGetOptions,
  ): Promise<{ token: T; outcome: CacheOutcome }> {
    const now = this.#clock.now();
    let minTtlMs = this.#defaultMinTtlMs;
    if (opts?.minTtlSeconds !== undefined) {
      const m = opts.minTtlSeconds;
      if (typeof m !== "number" || !(m >= 0) || !Number.isFinite(m)) {
        return Promise.reject(new TypeError('"minTtlSeconds" must be a non-negative number of seconds'));
      }
      minTtlMs = m * 1000;
    }
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.token.expiresAt - now >= minTtlMs) {
      // LRU: move to the most recent end.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#stats.hits++;
      if (now >= entry.refreshAt && !this.#inflight.has(key) && this.#mayRefresh(key, now)) {
        this.#stats.refreshes++;
        this.#start(key, fetcher, true);
        return Promise.resolve({ token: entry.token, outcome: "refresh" });
      }
      return Promise.resolve({ token: entry.token, outcome: "hit" });
    }
    this.#stats.misses++;
    return this.#miss(key, fetcher);
  }

  async #miss(
    key: string,
    fetcher: (key: string) => Promise<T>,
  ): Promise<{ token: T; outcome: CacheOutcome }> {
    const pending = this.#inflight.get(key) ?? this.#start(key, fetcher, false);
    try {
      return { token: await pending, outcome: "miss" };
    } catch (err) {
      const cached = this.#entries.get(key);
      if (cached !== undefined && cached.token.expiresAt > this.#clock.now()) {
        this.#stats.stale++;
        return { token: cached.token, outcome: "stale" };
      }
      throw err;
    }
  }

  #mayRefresh(key: string, now: number): boolean {
    const failedAt = this.#failedAt.get(key);
    return failedAt === undefined || now - failedAt >= this.#backoffMs;
  }

  #start(key: string, fetcher: (key: string) => Promise<T>, background: boolean): Promise<T> {
    this.#stats.upstreamCalls++;
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fetcher(key));
    } catch (err) {
      promise = Promise.reject(err);
    }
    const shared = promise.then(
      (token) => {
        if (this.#inflight.get(key) === shared) {
          this.#inflight.delete(key);
          this.#failedAt.delete(key);
          if (token.expiresAt > this.#clock.now()) this.set(key, token);
        }
        return token;
      },
      (err: unknown) => {
        this.#stats.errors++;
        if (this.#inflight.get(key) === shared) {
          this.#inflight.delete(key);
          this.#failedAt.set(key, this.#clock.now());
          if (this.#failedAt.size > this.#maxEntries) this.#failedAt.clear();
        }
        if (background && this.#onBackgroundError) {
          try {
            this.#onBackgroundError(key, err);
          } catch {
            // A logging callback must not break the cache.
          }
        }
        throw err;
      },
    );
    // Nobody may be awaiting a background refresh: mark the promise handled. Callers that do await it
    // still see the rejection.
    shared.catch(noop);
    this.#inflight.set(key, shared);
    return shared;
  }

  /**
   * The cached token for `key` if it has not expired (regardless of `minTtl`), without fetching,
   * counting or touching the LRU order.
   */
  peek(key: string): T | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.token.expiresAt > this.#clock.now() ? entry.token : undefined;
  }

  /** Store `token` under `key` (most recently used), evicting the least recently used beyond `maxEntries`. */
  set(key: string, token: T): void {
    const lifetime = token.expiresAt - token.issuedAt;
    const refreshAt = token.issuedAt + this.#ratio * lifetime;
    this.#entries.delete(key);
    this.#entries.set(key, { token, refreshAt });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#stats.evictions++;
    }
  }

  /**
   * Forget `key` (or everything when called without a key), e.g. after the resource server rejected the
   * token. A fetch already in flight still answers its waiters but is not cached.
   */
  invalidate(key?: string): void {
    if (key === undefined) {
      this.#entries.clear();
      this.#inflight.clear();
      this.#failedAt.clear();
      return;
    }
    this.#entries.delete(key);
    this.#inflight.delete(key);
    this.#failedAt.delete(key);
  }

  /** A snapshot of the counters. */
  stats(): CacheStats {
    return { ...this.#stats };
  }
}

function checkSeconds(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`"${name}" must be a non-negative number of seconds`);
  }
}
