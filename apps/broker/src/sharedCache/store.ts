/**
 * The seam between the broker's shared token tier (`tier.ts`) and where items live: DynamoDB in AWS
 * (`dynamoDbStore.ts`), a `Map` in tests and in-process benchmarks (`memoryStore.ts`).
 *
 * One record per cache key (`itemKey`, a hash: see `itemKey.ts`). A record may hold a sealed token, a
 * lease, or both:
 * - the token is AES-256-GCM ciphertext (`crypto.ts`); only `issuedAt`/`expiresAt` are in clear;
 * - the lease (`owner`, `until`) marks one instance as fetching from the issuer; it expires on its own.
 *
 * Every method may throw (a {@link SharedStoreError} from real stores); the tier turns any failure into a
 * fallback to memory and the issuer, so a store never needs to be defensive about its callers.
 */

/**
 * Longest lease anyone may hold, milliseconds (the largest `MCP_TOKEN_CACHE_LEASE_MS`). A stored lease
 * lapsing further in the future than this is corrupt and may be taken over like a lapsed one.
 */
export const MAX_LEASE_MS = 130_000;

/** A sealed token as stored. Times are epoch **milliseconds**. */
export interface SealedTokenItem {
  /** Item key (hash of issuer, audience, profile and scopes). */
  itemKey: string;
  /** Format version of the sealing (`SHARED_CACHE_FORMAT_VERSION`). */
  version: number;
  /** AES-GCM nonce, 12 bytes. */
  iv: Uint8Array;
  /** AES-GCM ciphertext followed by its 16-byte tag. */
  ciphertext: Uint8Array;
  /** When the token was requested from the issuer, epoch ms (clear, authenticated as AAD). */
  issuedAt: number;
  /** When the token expires, epoch ms (clear, authenticated as AAD; the item's TTL follows it). */
  expiresAt: number;
}

/** The lease part of a record. */
export interface StoredLease {
  /** Random id of the holder (one per fetch). */
  owner: string;
  /** Epoch ms after which anyone may take the lease over. */
  until: number;
}

/** What {@link SharedTokenStore.read} returns for an existing item. */
export interface SharedTokenRecord {
  /** The sealed token, when the item holds a well-formed one. */
  token?: SealedTokenItem;
  /** The lease, when one was ever taken and not released (check `until` against the clock). */
  lease?: StoredLease;
  /** Set when the item holds token attributes of the wrong shape: why (never item contents). */
  malformed?: string;
}

/** Where shared tokens live. All methods may reject; none is retried by the tier. */
export interface SharedTokenStore {
  /** Reads the record for `itemKey` (strongly consistent); `undefined` when there is none. */
  read(itemKey: string): Promise<SharedTokenRecord | undefined>;
  /**
   * Takes the lease for `owner` until `untilMs` if nobody holds one or the held one has expired
   * (`until < nowMs`) or is corrupt (`until > nowMs + MAX_LEASE_MS`), and, when `opts.seen` is given, only if the stored token is still the one the
   * caller read (`null`: none; otherwise its nonce): a token written between the caller's read and this
   * write makes the lease pointless. Creates the record when missing. Resolves `true` when taken,
   * `false` otherwise.
   */
  acquireLease(
    itemKey: string,
    owner: string,
    nowMs: number,
    untilMs: number,
    opts?: { seen?: Uint8Array | null },
  ): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it; otherwise does nothing. */
  releaseLease(itemKey: string, owner: string): Promise<void>;
  /**
   * Stores `item` (replacing any token). With `releaseLease` the lease is removed in the same write;
   * without it a lease someone holds is kept.
   */
  write(item: SealedTokenItem, opts?: { releaseLease?: boolean }): Promise<void>;
}

/** Why a store operation failed. `timeout`, `throttled` and `unavailable` are transient. */
export type SharedStoreErrorKind = "timeout" | "throttled" | "access_denied" | "not_found" | "unavailable";

/** A failed store operation. The message names the operation and table, never item contents. */
export class SharedStoreError extends Error {
  readonly code = "ERR_SHARED_STORE";
  constructor(
    readonly kind: SharedStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SharedStoreError";
  }
}
