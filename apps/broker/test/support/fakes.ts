/** In-memory stand-ins for the broker's seams. */
import { type ClientCredentials, type SecretProvider, SecretReadError } from "../../src/secrets.js";

/** A SecretProvider over a map that caches like the real one (until `forceFetch`) and counts reads. */
export function memorySecrets(initial: Record<string, ClientCredentials>) {
  const store = new Map(Object.entries(initial));
  const cached = new Map<string, ClientCredentials>();
  const calls: { secretId: string; forceFetch: boolean }[] = [];
  const provider: SecretProvider & {
    calls: typeof calls;
    put(secretId: string, value: ClientCredentials): void;
  } = {
    calls,
    put(secretId, value) {
      store.set(secretId, value);
    },
    async getClientCredentials(secretId, opts = {}) {
      const forceFetch = opts.forceFetch ?? false;
      calls.push({ secretId, forceFetch });
      const hit = cached.get(secretId);
      if (hit && !forceFetch) return hit;
      const value = store.get(secretId);
      if (!value) throw new SecretReadError("not_found", `no secret ${secretId}`);
      cached.set(secretId, value);
      return value;
    },
  };
  return provider;
}

/** A sleep that returns at once and records the requested delays. */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return Object.assign(sleep, { delays });
}

/**
 * fetch for tests against the testkit issuer. Its discovery document advertises the Auth0-style
 * `/oauth/token` (which wants `audience`), while its RFC 8707 `/token` (form + `resource`) is what an
 * `oauth2`-style profile must use; this points discovery's `token_endpoint` at `/token`.
 * (Reported to the testkit owners; a no-op once discovery advertises `/token`.)
 */
export function issuerFetch(issuer: {
  discoveryUrl: string;
  tokenEndpoint: string;
  oauth2TokenEndpoint: string;
}) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const res = await fetch(input, init);
    if (url !== issuer.discoveryUrl || res.status !== 200) return res;
    const metadata = (await res.json()) as Record<string, unknown>;
    if (metadata.token_endpoint === issuer.tokenEndpoint)
      metadata.token_endpoint = issuer.oauth2TokenEndpoint;
    return new Response(JSON.stringify(metadata), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
}
