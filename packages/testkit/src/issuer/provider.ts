import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { errors } from "oidc-provider";
import type { Tenant } from "./clients.js";

/** Path of the provider's own token route (what discovery advertises, as Auth0 does). */
export const PROVIDER_TOKEN_PATH = "/oauth/token";
/** Auth0 publishes its JWKS here. */
export const JWKS_PATH = "/.well-known/jwks.json";

/** A fresh RS256 signing key as a private JWK with `kid`, `alg` and `use`. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: "RS256", use: "sig" };
}

/**
 * Build the oidc-provider instance that mints the tokens: client_credentials + RFC 8707 resource
 * indicators with `accessTokenFormat: "jwt"` (RFC 9068 by default), reshaped per API profile by the
 * `formats.customizers.jwt` hook. Client authentication, grants and Auth0 errors are checked by the
 * issuer front before a request gets here (see `start.ts`), so clients are registered with internal
 * secrets only.
 *
 * @param issuer issuer identifier with trailing slash.
 * @param keys private signing JWKs; the first signs, all are published.
 * @param actionClaimsFor custom claims the credentials-exchange Actions set for a token request.
 */
export function buildProvider(
  issuer: string,
  tenant: Tenant,
  keys: JWK[],
  actionClaimsFor: (req: IncomingMessage) => Record<string, unknown> | undefined = () => undefined,
): Provider {
  const provider = new Provider(issuer, {
    clients: tenant.clientIds().map((clientId) => ({
      client_id: clientId,
      client_secret: tenant.internalSecret(clientId),
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: keys as never },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    routes: { token: PROVIDER_TOKEN_PATH, jwks: JWKS_PATH },
    scopes: [],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, resourceIndicator, client) => {
          const api = tenant.apis.get(resourceIndicator);
          const granted = tenant.grantedScopes(client.clientId, resourceIndicator);
          if (!api || !granted) throw new errors.InvalidTarget();
          return {
            audience: api.audience,
            scope: granted.join(" "),
            accessTokenTTL: api.ttlSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
    },
    formats: {
      customizers: {
        jwt: async (ctx, token, jwt) => {
          const audience = token.resourceServer?.audience;
          const api = audience === undefined ? undefined : tenant.apis.get(audience);
          const clientId = jwt.payload.client_id as string;
          jwt.payload.sub = `${clientId}@clients`;
          if (api?.profile === "auth0") {
            // Auth0 profile: typ JWT, azp + gty, no client_id, no jti.
            jwt.header = { ...jwt.header, typ: "JWT" };
            delete jwt.payload.client_id;
            delete jwt.payload.jti;
            jwt.payload.azp = clientId;
            jwt.payload.gty = "client-credentials";
          }
          Object.assign(jwt.payload, actionClaimsFor(ctx.req));
        },
      },
    },
  });
  return provider;
}
