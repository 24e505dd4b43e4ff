import { type Clock, type FetchLike, isLoopbackHost, readBoundedText } from "@mcp-token/core";
import { AuthError } from "./errors.js";

/** What the server needs from the issuer's OIDC discovery document. */
export interface IssuerMetadata {
  issuer: string;
  jwksUri: string;
}

export type { FetchLike } from "@mcp-token/core";

/** Largest discovery document accepted, in bytes. */
export const MAX_DISCOVERY_BYTES = 64 * 1024;

export interface DiscoveryOptions {
  discoveryUrl: string;
  /** Default global `fetch`. */
  fetch?: FetchLike;
  /** Per-attempt timeout in milliseconds; default 5000. */
  timeoutMs?: number;
  /** After a failed fetch, callers get the cached failure for this many milliseconds; default 5000. */
  retryAfterFailureMs?: number;
  clock: Clock;
}

/** Fetches the discovery document once and caches it for the life of the process. */
export interface Discovery {
  get(): Promise<IssuerMetadata>;
}

function parseMetadata(text: string): IssuerMetadata {
  const doc: unknown = JSON.parse(text);
  if (typeof doc !== "object" || doc === null) throw new Error("discovery document is not a JSON object");
  const { issuer, jwks_uri } = doc as Record<string, unknown>;
  if (typeof issuer !== "string" || issuer === "") throw new Error("discovery document has no issuer");
  if (typeof jwks_uri !== "string") throw new Error("discovery document has no jwks_uri");
  const jwks = new URL(jwks_uri);
  if (jwks.protocol !== "https:" && !(jwks.protocol === "http:" && isLoopbackHost(jwks.hostname))) {
    throw new Error("jwks_uri must be https (http only on loopback)");
  }
  return { issuer, jwksUri: jwks.href };
}

/**
 * Creates the cached, single-flight discovery client. A failure is remembered for
 * `retryAfterFailureMs` so a broken issuer is not hammered, then retried on the next call.
 */
export function createDiscovery(opts: DiscoveryOptions): Discovery {
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retryAfterFailureMs = opts.retryAfterFailureMs ?? 5000;
  let cached: IssuerMetadata | undefined;
  let inflight: Promise<IssuerMetadata> | undefined;
  let failure: { at: number; error: AuthError } | undefined;

  const load = async (): Promise<IssuerMetadata> => {
    try {
      const res = await doFetch(opts.discoveryUrl, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`discovery returned HTTP ${res.status}`);
      }
      const metadata = parseMetadata(await readBoundedText(res, MAX_DISCOVERY_BYTES));
      cached = metadata;
      failure = undefined;
      return metadata;
    } catch (cause) {
      const error = new AuthError(
        "unavailable",
        "discovery_failed",
        "The token issuer's metadata is unavailable; retry shortly.",
        { cause },
      );
      failure = { at: opts.clock.now(), error };
      throw error;
    } finally {
      inflight = undefined;
    }
  };

  return {
    get() {
      if (cached) return Promise.resolve(cached);
      if (failure && opts.clock.now() - failure.at < retryAfterFailureMs)
        return Promise.reject(failure.error);
      inflight ??= load();
      return inflight;
    },
  };
}
