/**
 * Issuer metadata for `oauth2`-style profiles, from OpenID Connect discovery
 * (`{issuer}.well-known/openid-configuration`, falling back to RFC 8414
 * `/.well-known/oauth-authorization-server{path}` on 404). Successful lookups are cached per issuer for
 * `ttlMs`; concurrent lookups share one request; failures are not cached.
 */
import { type FetchLike, isLoopbackHost } from "@mcp-token/core";
import { z } from "zod";
import { UpstreamError } from "./errors.js";
import { AttemptFailedError, type AttemptTimeouts, httpAttempt } from "./httpAttempt.js";

/** Largest discovery document accepted, bytes. */
export const MAX_METADATA_BYTES = 64 * 1024;

/** The metadata fields the broker uses. */
export interface IssuerMetadata {
  issuer: string;
  tokenEndpoint: string;
  /** `token_endpoint_auth_methods_supported`; RFC 8414 default `["client_secret_basic"]`. */
  authMethods: string[];
}

const metadataSchema = z.object({
  issuer: z.string().min(1).max(2048),
  token_endpoint: z.string().url().max(2048),
  token_endpoint_auth_methods_supported: z.array(z.string().max(128)).max(64).optional(),
});

const trimSlash = (s: string) => s.replace(/\/+$/, "");

function isAllowedEndpoint(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

/** Candidate discovery URLs for an issuer, in order. */
export function discoveryUrls(issuer: string): string[] {
  const base = issuer.endsWith("/") ? issuer : `${issuer}/`;
  const url = new URL(issuer);
  const path = trimSlash(url.pathname);
  return [
    `${base}.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

/** Parses and checks a discovery document against the configured issuer. */
export function parseIssuerMetadata(issuer: string, text: string): IssuerMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpstreamError("rejected", `discovery document of ${issuer} is not JSON`);
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
    throw new UpstreamError("rejected", `discovery document of ${issuer} is invalid (${fields})`);
  }
  // RFC 8414 §3.3: the issuer in the document must be identical to the one the client expects. The
  // configured issuer was normalised to end in "/", so the form without that one "/" is the same issuer.
  const expected = [issuer, issuer.endsWith("/") ? issuer.slice(0, -1) : `${issuer}/`];
  if (!expected.includes(parsed.data.issuer)) {
    throw new UpstreamError(
      "rejected",
      `discovery document names issuer ${JSON.stringify(parsed.data.issuer.slice(0, 200))}, expected ${issuer}`,
    );
  }
  const tokenEndpoint = new URL(parsed.data.token_endpoint);
  if (!isAllowedEndpoint(tokenEndpoint)) {
    throw new UpstreamError("rejected", `token_endpoint of ${issuer} must be https`);
  }
  return {
    issuer,
    tokenEndpoint: tokenEndpoint.href,
    authMethods: parsed.data.token_endpoint_auth_methods_supported ?? ["client_secret_basic"],
  };
}

/** Options for {@link createMetadataCache}. */
export interface MetadataCacheOptions {
  fetch: FetchLike;
  now: () => number;
  /** How long metadata is reused, ms. Default 3,600,000 (1 h). */
  ttlMs?: number;
}

/** Cached metadata lookups. */
export interface MetadataCache {
  /** Returns the issuer's metadata; throws {@link UpstreamError} (`unavailable` for transient failures). */
  get(issuer: string, timeouts: AttemptTimeouts): Promise<IssuerMetadata>;
}

/** Creates a per-issuer metadata cache. */
export function createMetadataCache(opts: MetadataCacheOptions): MetadataCache {
  const ttlMs = opts.ttlMs ?? 3_600_000;
  const cache = new Map<string, { metadata: IssuerMetadata; until: number }>();
  const inFlight = new Map<string, Promise<IssuerMetadata>>();

  async function discover(issuer: string, timeouts: AttemptTimeouts): Promise<IssuerMetadata> {
    for (const url of discoveryUrls(issuer)) {
      let res: Awaited<ReturnType<typeof httpAttempt>>;
      try {
        res = await httpAttempt(
          opts.fetch,
          url,
          { method: "GET", headers: { accept: "application/json" } },
          timeouts,
          MAX_METADATA_BYTES,
        );
      } catch (error) {
        const kind =
          error instanceof AttemptFailedError && error.reason === "too_large" ? "rejected" : "unavailable";
        throw new UpstreamError(kind, `discovery failed: ${(error as Error).message}`, { cause: error });
      }
      if (res.status === 404) continue;
      if (res.status >= 500 || res.status === 429) {
        throw new UpstreamError("unavailable", `discovery at ${url} answered ${res.status}`, {
          status: res.status,
        });
      }
      if (res.status !== 200) {
        throw new UpstreamError("rejected", `discovery at ${url} answered ${res.status}`, {
          status: res.status,
        });
      }
      return parseIssuerMetadata(issuer, res.text);
    }
    throw new UpstreamError("rejected", `no discovery document found for issuer ${issuer}`);
  }

  return {
    get(issuer, timeouts) {
      const hit = cache.get(issuer);
      if (hit && hit.until > opts.now()) return Promise.resolve(hit.metadata);
      const pending = inFlight.get(issuer);
      if (pending) return pending;
      const next = discover(issuer, timeouts)
        .then((metadata) => {
          cache.set(issuer, { metadata, until: opts.now() + ttlMs });
          return metadata;
        })
        .finally(() => inFlight.delete(issuer));
      inFlight.set(issuer, next);
      return next;
    },
  };
}
