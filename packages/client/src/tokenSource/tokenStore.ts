import type { TokenResponse } from "@mcp-token/core";

/** Identifies one stored token: the broker, the broker profile, the scopes and the AWS identity. */
export interface TokenStoreKey {
  brokerUrl: string;
  profile: string;
  /** Sorted and de-duplicated. */
  scopes: readonly string[];
  /** An AWS identity fingerprint (by default the access key id); tokens are never shared across identities. */
  identity: string;
}

/** A token response as kept by a {@link TokenStore}, with the local times it was obtained and expires. */
export interface StoredToken {
  response: TokenResponse;
  /** Epoch milliseconds (local clock) when the broker answered. */
  obtainedAt: number;
  /** Epoch milliseconds (local clock): `obtainedAt + expires_in`. */
  expiresAt: number;
}

/**
 * A persistent second-level cache behind the in-memory one, for short-lived processes
 * (`createDiskCache` from `@mcp-token/client/node` implements it). Implementations must never
 * throw for a missing, corrupt or unreadable entry: they return `undefined`.
 */
export interface TokenStore {
  get(key: TokenStoreKey): Promise<StoredToken | undefined>;
  set(key: TokenStoreKey, token: StoredToken): Promise<void>;
  delete(key: TokenStoreKey): Promise<void>;
}
