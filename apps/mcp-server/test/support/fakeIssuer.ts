/**
 * A minimal OIDC issuer on loopback for tests that need full control over signing (attack tokens,
 * expired/not-yet-valid tokens signed with the real key). Serves discovery and JWKS; mints with jose.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";

export interface MintOptions {
  /** Claims merged over the defaults; a value of `undefined` removes the claim. */
  claims?: Record<string, unknown>;
  /** Protected header merged over `{ alg: "RS256", typ: "at+jwt", kid }`. */
  header?: Record<string, unknown>;
  /** Signing key; default the issuer's current key. */
  key?: CryptoKey;
}

export interface FakeIssuer {
  url: string;
  discoveryUrl: string;
  jwksUri: string;
  audience: string;
  clientId: string;
  kid: string;
  nowSeconds(): number;
  mint(opts?: MintOptions): Promise<string>;
  /** Replaces the signing key (the old one leaves the JWKS). */
  rotate(): Promise<void>;
  jwksRequests(): number;
  discoveryRequests(): number;
  close(): Promise<void>;
}

export async function startFakeIssuer(
  opts: { audience?: string; clientId?: string; now?: () => number } = {},
): Promise<FakeIssuer> {
  const audience = opts.audience ?? "https://mcp.example.test/";
  const clientId = opts.clientId ?? "client-allowed";
  const now = opts.now ?? Date.now;
  let kid = randomUUID();
  let keys = await generateKeyPair("RS256", { extractable: true });
  let jwks = 0;
  let discovery = 0;
  let url = "";

  const server = createServer(async (req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      discovery++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          issuer: url,
          jwks_uri: `${url}.well-known/jwks.json`,
          token_endpoint: `${url}oauth/token`,
          grant_types_supported: ["client_credentials"],
          response_types_supported: ["token"],
          token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        }),
      );
      return;
    }
    if (req.url === "/.well-known/jwks.json") {
      jwks++;
      const jwk = await exportJWK(keys.publicKey);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const nowSeconds = () => Math.floor(now() / 1000);
  return {
    url,
    discoveryUrl: `${url}.well-known/openid-configuration`,
    jwksUri: `${url}.well-known/jwks.json`,
    audience,
    clientId,
    get kid() {
      return kid;
    },
    nowSeconds,
    async mint(mintOpts = {}) {
      const iat = nowSeconds();
      const claims: Record<string, unknown> = {
        iss: url,
        sub: `${clientId}@clients`,
        aud: audience,
        client_id: clientId,
        scope: "invoke",
        iat,
        exp: iat + 3600,
        jti: randomUUID(),
        ...mintOpts.claims,
      };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      const header = { alg: "RS256", typ: "at+jwt", kid, ...mintOpts.header };
      return new SignJWT(claims as JWTPayload)
        .setProtectedHeader(header as { alg: string })
        .sign(mintOpts.key ?? keys.privateKey);
    },
    async rotate() {
      keys = await generateKeyPair("RS256", { extractable: true });
      kid = randomUUID();
    },
    jwksRequests: () => jwks,
    discoveryRequests: () => discovery,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SPKI PEM of the issuer's current public key (for the HS256 key-confusion attack). */
export async function publicKeyPemOf(jwksUri: string): Promise<string> {
  const { importJWK } = await import("jose");
  const res = await fetch(jwksUri);
  const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
  const key = await importJWK(keys[0] as never, "RS256", { extractable: true });
  return exportSPKI(key as CryptoKey);
}
