/**
 * The shared (second) tier of the broker's token cache, under the in-memory `TokenCache`: consulted on a
 * memory miss and on a background refresh, across all instances that share one {@link SharedTokenStore}.
 *
 * One fetch, for one item key:
 * 1. **Read** the item. A sealed token that opens under the profile's client secret (see `crypto.ts`)
 *    and has at least `minTtl` left is served (`hit`). During a background refresh only a token that is
 *    itself not yet due for refresh counts, so a refresh never settles for the token it is replacing.
 * 2. **Lease.** Otherwise take the item's lease with a conditional write (no lease, or the lease has
 *    lapsed; and the stored token is still the one just read, so an instance that read just before
 *    another's write does not issue again). The holder asks the issuer, seals and writes the token, and clears the lease in the same
 *    write (`miss`). A holder whose issuance fails releases the lease and the caller sees the issuer's error.
 * 3. **Wait.** When another instance holds the lease, poll the item with jittered exponential backoff
 *    (50 ms doubling to 500 ms) for up to `waitMs`; its token is served (`wait`); a lease that lapses
 *    or is released meanwhile is taken over. After `waitMs` a request fetches from the issuer itself
 *    (liveness over strictness); a background refresh keeps its current token instead.
 *
 * Failures never reach the caller: a store that fails, throttles, denies or times out (every call is
 * bounded by the store) makes the fetch fall back to the issuer (`fallback`), logs one warning, and
 * the tier is bypassed for `failureCooldownMs` so an outage costs one timeout, not one per request.
 * An item that is malformed, sealed under another secret or tampered with fails to open: it is a miss
 * (one warning per fetch), never served. A failed open first re-reads the client secret once (it may
 * have been rotated), then gives up. Only the issuer's and Secrets Manager's own errors propagate.
 */
import { randomUUID } from "node:crypto";
import { type Clock, DEFAULT_REFRESH_AHEAD_RATIO, systemClock, tokenFingerprint } from "@mcp-token/core";
import { DEFAULT_SHARED_CACHE_SETTINGS } from "../env.js";
import { type BrokerLogger, SecretScrubber } from "../logger.js";
import { type BrokerMetrics, noopMetrics, type SharedCacheEvent } from "../metrics.js";
import type { ClientCredentials } from "../secrets.js";
import type { CachedToken, SharedCacheOutcome } from "../types.js";
import { isSharedCacheCryptoError, openToken, SHARED_CACHE_FORMAT_VERSION, sealToken } from "./crypto.js";
import {
  MAX_LEASE_MS,
  type SealedTokenItem,
  type SharedTokenRecord,
  type SharedTokenStore,
} from "./store.js";

/** Options for {@link createSharedTokenTier}. */
export interface SharedTierOptions {
  store: SharedTokenStore;
  logger: BrokerLogger;
  metrics?: BrokerMetrics;
  /** Scrubs store error messages before they are logged. */
  scrubber?: SecretScrubber;
  clock?: Clock;
  /** How long a lease lasts, milliseconds. Default 10000 (an issuance's whole deadline plus margin). */
  leaseMs?: number;
  /** How long a request waits for another instance's lease before fetching itself, milliseconds. Default 2500. */
  waitMs?: number;
  /** The memory cache's refresh-ahead ratio, in (0, 1]. Default core's `DEFAULT_REFRESH_AHEAD_RATIO`. */
  refreshAheadRatio?: number;
  /** After a store failure, the tier is bypassed for this long, milliseconds. Default 5000. */
  failureCooldownMs?: number;
  /** Sleep between polls. Default real timers. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** New lease owner ids. Default `crypto.randomUUID`. */
  newOwner?: () => string;
  /** Where the store lives, for log lines (e.g. the table name). */
  label?: string;
}

/** Defaults of {@link SharedTierOptions}: lease and wait as the environment's defaults (`env.ts`). */
export const SHARED_TIER_DEFAULTS = Object.freeze({
  leaseMs: DEFAULT_SHARED_CACHE_SETTINGS.leaseMs,
  waitMs: DEFAULT_SHARED_CACHE_SETTINGS.waitMs,
  refreshAheadRatio: DEFAULT_REFRESH_AHEAD_RATIO,
  failureCooldownMs: 5_000,
});

/** First poll delay and the cap of the exponential backoff, milliseconds. */
const POLL_BASE_MS = 50;
const POLL_CAP_MS = 500;
/** Safety bound on polls per fetch, whatever the clock and sleep do. */
const MAX_POLLS = 100;

/** One fetch through the tier. */
export interface SharedFetchRequest {
  /** Item key (`sharedItemKey`). */
  itemKey: string;
  /** Minimum remaining lifetime of a token to serve, milliseconds. */
  minTtlMs: number;
  /** Set for a background refresh: the token memory holds (still good for `minTtlMs`). */
  current?: CachedToken;
  /** The profile's client credentials (the sealing key's material); `forceFetch` re-reads them. */
  credentials(opts?: { forceFetch?: boolean }): Promise<ClientCredentials>;
  /** Asks the issuer for a new token. */
  issue(): Promise<CachedToken>;
}

/** The shared tier. */
export interface SharedTier {
  /** Serves a token from the shared store, another instance's issuance, or the issuer. */
  fetch(req: SharedFetchRequest): Promise<{ token: CachedToken; outcome: SharedCacheOutcome }>;
}

/** Wraps an error of the issuer or Secrets Manager, so it propagates past the tier's own fallbacks. */
class PassThrough {
  constructor(readonly error: unknown) {}
}

/** A store operation that failed. */
class StoreFailure {
  constructor(
    readonly operation: string,
    readonly error: unknown,
  ) {}
}

interface FetchState {
  material: ClientCredentials;
  /** The client secret was re-read once already in this fetch. */
  reread: boolean;
  /** Items (by nonce and times) that failed to open in this fetch: not opened or logged again. */
  rejected: Set<string>;
}

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(
      `"${name}" must be a ${allowZero ? "non-negative" : "positive"} number of milliseconds`,
    );
  }
  return value;
}

/**
 * Creates the shared tier over `store`.
 *
 * @example
 * const tier = createSharedTokenTier({ store: createDynamoDbTokenStore({ tableName }), logger });
 * const { token, outcome } = await tier.fetch({ itemKey, minTtlMs, credentials, issue });
 */
export function createSharedTokenTier(opts: SharedTierOptions): SharedTier {
  const { store, logger } = opts;
  const metrics = opts.metrics ?? noopMetrics;
  const clock = opts.clock ?? systemClock;
  const leaseMs = positive("leaseMs", opts.leaseMs ?? SHARED_TIER_DEFAULTS.leaseMs);
  const waitMs = positive("waitMs", opts.waitMs ?? SHARED_TIER_DEFAULTS.waitMs, true);
  const cooldownMs = positive(
    "failureCooldownMs",
    opts.failureCooldownMs ?? SHARED_TIER_DEFAULTS.failureCooldownMs,
    true,
  );
  const ratio = opts.refreshAheadRatio ?? SHARED_TIER_DEFAULTS.refreshAheadRatio;
  if (!(ratio > 0 && ratio <= 1)) throw new TypeError('"refreshAheadRatio" must be in (0, 1]');
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  const newOwner = opts.newOwner ?? randomUUID;
  const where = opts.label ? { store: opts.label } : {};
  let bypassUntil = Number.NEGATIVE_INFINITY;

  const count = (event: SharedCacheEvent) => metrics.sharedCache(event);
  const short = (itemKey: string) => itemKey.slice(0, 15);
  const scrubber = opts.scrubber ?? new SecretScrubber();
  const describe = (error: unknown) => scrubber.describeError(error);

  /** Records a store failure: one warning per cooldown window, then the tier is bypassed for a while. */
  function noteFailure(operation: string, error: unknown): void {
    const now = clock.now();
    if (now >= bypassUntil) {
      logger.warn("shared token cache unavailable; falling back to memory and the issuer", {
        ...where,
        operation,
        error: describe(error),
        bypassSeconds: cooldownMs / 1000,
      });
    }
    bypassUntil = now + cooldownMs;
  }

  async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new StoreFailure(operation, error);
    }
  }

  async function pass<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new PassThrough(error);
    }
  }

  const refreshDue = (item: { issuedAt: number; expiresAt: number }, now: number) =>
    now >= item.issuedAt + ratio * (item.expiresAt - item.issuedAt);

  function reject(state: FetchState, req: SharedFetchRequest, signature: string, reason: string): void {
    if (state.rejected.has(signature)) return;
    state.rejected.add(signature);
    count("rejected");
    logger.warn("shared token cache item rejected; treating it as a miss", {
      ...where,
      item: short(req.itemKey),
      reason,
    });
  }

  /** Opens a stored token if it is one to serve now; `undefined` otherwise (never throws). */
  async function usable(
    record: SharedTokenRecord | undefined,
    req: SharedFetchRequest,
    state: FetchState,
  ): Promise<CachedToken | undefined> {
    if (record?.malformed !== undefined) {
      reject(state, req, `malformed:${record.malformed}`, `malformed item: ${record.malformed}`);
      return undefined;
    }
    const item = record?.token;
    if (!item) return undefined;
    const now = clock.now();
    if (item.expiresAt - now < req.minTtlMs) return undefined;
    if (req.current && refreshDue(item, now)) return undefined;
    const signature = `${item.issuedAt}:${item.expiresAt}:${Buffer.from(item.iv).toString("hex")}`;
    if (state.rejected.has(signature)) return undefined;
    const binding = { itemKey: req.itemKey, issuedAt: item.issuedAt, expiresAt: item.expiresAt };
    let opened: { accessToken: string; scope: string } | undefined;
    let failure: unknown;
    try {
      opened = await openToken(state.material, binding, item);
    } catch (error) {
      failure = error;
    }
    if (!opened && !state.reread && isSharedCacheCryptoError(failure) && failure.kind === "authentication") {
      // The secret may have been rotated since it was cached: re-read it once and try again.
      state.reread = true;
      try {
        const fresh = await req.credentials({ forceFetch: true });
        if (
          fresh.clientSecret !== state.material.clientSecret ||
          fresh.clientId !== state.material.clientId
        ) {
          state.material = fresh;
          opened = await openToken(fresh, binding, item);
        }
      } catch (error) {
        failure = error;
      }
    }
    if (!opened) {
      const kind = isSharedCacheCryptoError(failure) ? failure.kind : "error";
      reject(
        state,
        req,
        signature,
        kind === "authentication" ? "authentication failed" : `cannot open (${kind})`,
      );
      return undefined;
    }
    return {
      accessToken: opened.accessToken,
      scope: opened.scope,
      issuedAt: item.issuedAt,
      expiresAt: item.expiresAt,
      fingerprint: await tokenFingerprint(opened.accessToken),
    };
  }

  /** Seals and writes `token`; on failure notes it and returns false (the token is served anyway). */
  async function storeToken(req: SharedFetchRequest, token: CachedToken, releaseLease: boolean) {
    try {
      const material = await req.credentials(); // after issuance: the secret that worked
      const binding = { itemKey: req.itemKey, issuedAt: token.issuedAt, expiresAt: token.expiresAt };
      const sealed = await sealToken(material, binding, {
        accessToken: token.accessToken,
        scope: token.scope,
      });
      const item: SealedTokenItem = { ...binding, ...sealed, version: SHARED_CACHE_FORMAT_VERSION };
      await store.write(item, { releaseLease });
      return true;
    } catch (error) {
      noteFailure("write", error);
      return false;
    }
  }

  /** The lease is ours: issue, write, release. */
  async function holdAndIssue(req: SharedFetchRequest, owner: string) {
    let token: CachedToken;
    try {
      token = await req.issue();
    } catch (error) {
      await store.releaseLease(req.itemKey, owner).catch(() => undefined);
      throw new PassThrough(error);
    }
    const stored = await storeToken(req, token, true);
    count(stored ? "miss" : "fallback");
    return { token, outcome: stored ? ("miss" as const) : ("fallback" as const) };
  }

  async function run(req: SharedFetchRequest): Promise<{ token: CachedToken; outcome: SharedCacheOutcome }> {
    const state: FetchState = {
      material: await pass(() => req.credentials()),
      reread: false,
      rejected: new Set(),
    };
    let record = await guard("read", () => store.read(req.itemKey));
    const found = await usable(record, req, state);
    if (found) {
      count("hit");
      return { token: found, outcome: "hit" };
    }
    const owner = newOwner();
    /** Takes the lease unless the token changed since `seen` was read (then someone just stored one). */
    const take = (seen: SharedTokenRecord | undefined) => {
      const now = clock.now();
      const expected = seen?.malformed !== undefined ? undefined : (seen?.token?.iv ?? null);
      return guard("acquireLease", () =>
        store.acquireLease(req.itemKey, owner, now, now + leaseMs, { seen: expected }),
      );
    };
    if (await take(record)) return holdAndIssue(req, owner);

    count("lease_wait");
    const started = clock.now();
    const deadline = started + waitMs;
    for (let attempt = 0; attempt < MAX_POLLS; attempt++) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      const backoff = Math.min(POLL_CAP_MS, POLL_BASE_MS * 2 ** attempt);
      await sleep(Math.max(1, Math.min(remaining, Math.round(backoff * (0.5 + random() / 2)))));
      record = await guard("read", () => store.read(req.itemKey));
      const token = await usable(record, req, state);
      if (token) {
        count("hit");
        return { token, outcome: "wait" };
      }
      const lease = record?.lease;
      const now = clock.now();
      const free = !lease || lease.until < now || lease.until > now + MAX_LEASE_MS;
      if (free && (await take(record))) return holdAndIssue(req, owner);
    }
    count("wait_timeout");
    const waitedMs = clock.now() - started;
    if (req.current) {
      logger.debug("shared token cache: another instance is still refreshing; keeping the current token", {
        ...where,
        item: short(req.itemKey),
        waitedMs,
      });
      return { token: req.current, outcome: "wait" };
    }
    logger.warn("shared token cache: gave up waiting for another instance's issuance; issuing here", {
      ...where,
      item: short(req.itemKey),
      waitedMs,
    });
    const token = await pass(() => req.issue());
    const stored = await storeToken(req, token, false);
    count(stored ? "miss" : "fallback");
    return { token, outcome: stored ? "miss" : "fallback" };
  }

  return {
    async fetch(req) {
      if (clock.now() < bypassUntil) {
        count("fallback");
        return { token: await req.issue(), outcome: "fallback" };
      }
      try {
        return await run(req);
      } catch (caught) {
        if (caught instanceof PassThrough) throw caught.error;
        if (caught instanceof StoreFailure) noteFailure(caught.operation, caught.error);
        else noteFailure("tier", caught);
      }
      count("fallback");
      return { token: await req.issue(), outcome: "fallback" };
    },
  };
}
