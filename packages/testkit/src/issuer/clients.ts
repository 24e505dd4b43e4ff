import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IssuerApi, IssuerClient } from "./types.js";

interface ClientState {
  clientId: string;
  current: string;
  previous?: { secret: string; validUntilMs: number };
  grants: Map<string, string[]>;
  grantTypes: Set<string>;
  /** Secret the internal oidc-provider knows this client by; never leaves the process. */
  internalSecret: string;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Constant-time string comparison (both sides hashed first, so lengths never leak). */
export function secretEquals(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The issuer's tenant: APIs, clients, their secrets (with rotation) and grants. */
export class Tenant {
  readonly apis = new Map<string, Required<IssuerApi>>();
  readonly #clients = new Map<string, ClientState>();
  readonly #clock: { now(): number };

  constructor(apis: IssuerApi[], clients: IssuerClient[], clock: { now(): number }) {
    this.#clock = clock;
    apis.forEach((api, i) => {
      if (typeof api.audience !== "string" || api.audience === "") {
        throw new TypeError(`"apis[${i}].audience" must be a non-empty string`);
      }
      if (api.profile !== "auth0" && api.profile !== "rfc9068") {
        throw new TypeError(`"apis[${i}].profile" must be "auth0" or "rfc9068"`);
      }
      const ttlSeconds = api.ttlSeconds ?? 3600;
      checkTtl(ttlSeconds, `apis[${i}].ttlSeconds`);
      this.apis.set(api.audience, {
        audience: api.audience,
        profile: api.profile,
        ttlSeconds,
        scopes: api.scopes ?? [],
      });
    });
    clients.forEach((c, i) => {
      if (typeof c.clientId !== "string" || c.clientId === "") {
        throw new TypeError(`"clients[${i}].clientId" must be a non-empty string`);
      }
      if (typeof c.clientSecret !== "string" || c.clientSecret === "") {
        throw new TypeError(`"clients[${i}].clientSecret" must be a non-empty string`);
      }
      const grants = new Map<string, string[]>();
      for (const [audience, scopes] of Object.entries(c.grants ?? {})) {
        const api = this.apis.get(audience);
        if (!api) throw new TypeError(`"clients[${i}].grants['${audience}']" names an unknown API`);
        const unknown = scopes.filter((s) => !api.scopes.includes(s));
        if (unknown.length) {
          throw new TypeError(
            `"clients[${i}].grants['${audience}']" has scopes the API lacks: ${unknown.join(", ")}`,
          );
        }
        grants.set(audience, [...scopes]);
      }
      this.#clients.set(c.clientId, {
        clientId: c.clientId,
        current: c.clientSecret,
        grants,
        grantTypes: new Set(c.grantTypes ?? ["client_credentials"]),
        internalSecret: randomBytes(32).toString("base64url"),
      });
    });
  }

  clientIds(): string[] {
    return [...this.#clients.keys()];
  }

  internalSecret(clientId: string): string | undefined {
    return this.#clients.get(clientId)?.internalSecret;
  }

  /** True when `secret` is the client's current secret, or its previous one within the grace period. */
  authenticate(clientId: string, secret: string): boolean {
    const c = this.#clients.get(clientId);
    if (!c) {
      secretEquals(secret, secret); // same work either way
      return false;
    }
    const currentOk = secretEquals(secret, c.current);
    const previousOk =
      c.previous !== undefined &&
      this.#clock.now() < c.previous.validUntilMs &&
      secretEquals(secret, c.previous.secret);
    return currentOk || previousOk;
  }

  allowsGrantType(clientId: string, grantType: string): boolean {
    return this.#clients.get(clientId)?.grantTypes.has(grantType) ?? false;
  }

  grantedScopes(clientId: string, audience: string): string[] | undefined {
    return this.#clients.get(clientId)?.grants.get(audience);
  }

  rotateSecret(clientId: string, newSecret: string, graceSeconds: number): void {
    const c = this.#clients.get(clientId);
    if (!c) throw new TypeError(`"clientId" names an unknown client: ${clientId}`);
    if (typeof newSecret !== "string" || newSecret === "") {
      throw new TypeError('"newSecret" must be a non-empty string');
    }
    if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
      throw new TypeError('"opts.graceSeconds" must be a non-negative number');
    }
    c.previous = { secret: c.current, validUntilMs: this.#clock.now() + graceSeconds * 1000 };
    c.current = newSecret;
  }

  setTtl(audience: string, seconds: number): void {
    const api = this.apis.get(audience);
    if (!api) throw new TypeError(`"audience" names an unknown API: ${audience}`);
    checkTtl(seconds, "seconds");
    api.ttlSeconds = seconds;
  }
}

function checkTtl(value: number, path: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 2_592_000) {
    throw new TypeError(`"${path}" must be an integer number of seconds between 1 and 2592000`);
  }
}
