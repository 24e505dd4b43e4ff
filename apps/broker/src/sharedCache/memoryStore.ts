/**
 * A {@link SharedTokenStore} in a `Map`: the same conditional semantics as the DynamoDB store, for unit
 * tests and for in-process benchmarks that run several brokers sharing one store. Not for production
 * (it shares nothing across processes).
 */
import {
  MAX_LEASE_MS,
  type SealedTokenItem,
  type SharedTokenRecord,
  type SharedTokenStore,
  type StoredLease,
} from "./store.js";

/** A memory store with its contents exposed for tests. */
export interface MemorySharedTokenStore extends SharedTokenStore {
  /** The records, by item key (mutable: tests tamper with them). */
  readonly records: Map<string, { token?: SealedTokenItem; lease?: StoredLease }>;
  /** Calls per operation. */
  readonly calls: { read: number; acquireLease: number; releaseLease: number; write: number };
}

const copyItem = (item: SealedTokenItem): SealedTokenItem => ({
  ...item,
  iv: new Uint8Array(item.iv),
  ciphertext: new Uint8Array(item.ciphertext),
});

/**
 * Creates an empty memory store.
 *
 * @example
 * const store = createMemorySharedTokenStore();
 * const brokers = [1, 2].map(() => createBroker({ config, secrets, logger, sharedStore: store }));
 */
export function createMemorySharedTokenStore(): MemorySharedTokenStore {
  const records = new Map<string, { token?: SealedTokenItem; lease?: StoredLease }>();
  const calls = { read: 0, acquireLease: 0, releaseLease: 0, write: 0 };
  return {
    records,
    calls,
    async read(itemKey) {
      calls.read++;
      const record = records.get(itemKey);
      if (!record) return undefined;
      const out: SharedTokenRecord = {};
      if (record.token) out.token = copyItem(record.token);
      if (record.lease) out.lease = { ...record.lease };
      return out;
    },
    async acquireLease(itemKey, owner, nowMs, untilMs, opts = {}) {
      calls.acquireLease++;
      const record = records.get(itemKey) ?? {};
      const held =
        record.lease && !(record.lease.until < nowMs) && record.lease.until <= nowMs + MAX_LEASE_MS;
      if (held) return false;
      if (opts.seen !== undefined) {
        const iv = record.token?.iv;
        const same =
          opts.seen === null ? iv === undefined : iv !== undefined && Buffer.from(iv).equals(opts.seen);
        if (!same) return false;
      }
      record.lease = { owner, until: untilMs };
      records.set(itemKey, record);
      return true;
    },
    async releaseLease(itemKey, owner) {
      calls.releaseLease++;
      const record = records.get(itemKey);
      if (record?.lease?.owner === owner) delete record.lease;
    },
    async write(item, opts = {}) {
      calls.write++;
      const record = records.get(item.itemKey) ?? {};
      record.token = copyItem(item);
      if (opts.releaseLease) delete record.lease;
      records.set(item.itemKey, record);
    },
  };
}
