import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { secretEquals } from "../issuer/clients.js";

/** A Cognito resource server: its identifier prefixes its scopes (`<identifier>/<name>`). */
export interface CognitoResourceServer {
  identifier: string;
  scopes: string[];
}

/** An app client with a secret, the client-credentials flow, and its allowed custom scopes. */
export interface CognitoAppClient {
  clientId: string;
  clientSecret: string;
  /** Allowed OAuth scopes, full names (`<resource server>/<scope>`). */
  allowedScopes: string[];
}

export interface StartCognitoOptions {
  /** User pool id, `<region>_<id>`; default "us-west-2_LocalPool1". */
  userPoolId?: string;
  resourceServers: CognitoResourceServer[];
  clients: CognitoAppClient[];
  /** Access-token lifetime, seconds; default 3600 (Cognito's default). */
  ttlSeconds?: number;
  host?: string;
  /** Port of the user pool (issuer, discovery, JWKS); default 0. */
  port?: number;
  /** Port of the user pool domain (`/oauth2/token`); default 0. */
  domainPort?: number;
  clock?: { now(): number };
}

export interface LocalCognito {
  /** The user pool issuer, like `https://cognito-idp.<region>.amazonaws.com/<pool id>` (no trailing slash). */
  issuer: string;
  discoveryUrl: string;
  /** The user pool domain's origin (another origin than the issuer's, as in AWS). */
  domain: string;
  tokenEndpoint: string;
  userPoolId: string;
  /** Tokens issued so far. */
  issued(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

/**
 * Starts an Amazon Cognito user pool stand-in for the client-credentials flow, on two loopback
 * origins as in AWS: the user pool (`<origin>/<pool id>`: discovery and JWKS; the issuer) and its
 * domain (`/oauth2/token`). The token endpoint follows Cognito's documented contract: form body,
 * client authentication with HTTP Basic (or `client_id` + `client_secret` in the body), `scope` of
 * `<resource server>/<scope>` names the app client is allowed (all of them when omitted), and access
 * tokens with `sub` and `client_id` (the app client), `token_use: "access"`, `scope`, `auth_time`,
 * `version`, `jti` and **no `aud`**. Errors are Cognito's bodies, `{"error":"…"}` with HTTP 400
 * (`invalid_request`, `invalid_client`, `unauthorized_client`, `unsupported_grant_type`,
 * `invalid_scope`). Stricter than Cognito may be: `audience`/`resource` parameters are refused, since
 * Cognito ties scopes, not audiences, to its tokens.
 */
export async function startCognitoIssuer(opts: StartCognitoOptions): Promise<LocalCognito> {
  const clock = opts.clock ?? Date;
  const userPoolId = opts.userPoolId ?? "us-west-2_LocalPool1";
  const ttlSeconds = opts.ttlSeconds ?? 3600;
  const knownScopes = new Set(
    opts.resourceServers.flatMap((rs) => rs.scopes.map((s) => `${rs.identifier}/${s}`)),
  );
  const clients = new Map(opts.clients.map((c) => [c.clientId, c]));
  for (const [i, c] of opts.clients.entries()) {
    const unknown = c.allowedScopes.filter((s) => !knownScopes.has(s));
    if (unknown.length)
      throw new TypeError(`"clients[${i}].allowedScopes" names unknown scopes: ${unknown.join(", ")}`);
  }
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  let issuedCount = 0;
  let issuer = "";
  let domain = "";

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json;charset=UTF-8",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store",
    });
    res.end(text);
  };
  const cognitoError = (res: ServerResponse, error: string) => json(res, 400, { error });

  function poolRoute(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") return json(res, 405, { message: "Method not allowed" });
    if (path === `/${userPoolId}/.well-known/openid-configuration`) {
      return json(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        authorization_endpoint: `${domain}/oauth2/authorize`,
        token_endpoint: `${domain}/oauth2/token`,
        userinfo_endpoint: `${domain}/oauth2/userInfo`,
        response_types_supported: ["code", "token"],
        scopes_supported: ["openid", "email", "phone", "profile"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      });
    }
    if (path === `/${userPoolId}/.well-known/jwks.json`) return json(res, 200, { keys: [publicJwk] });
    return json(res, 404, { message: "Not found" });
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return cognitoError(res, "invalid_request");
      throw error;
    }
    if (
      (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() !==
      "application/x-www-form-urlencoded"
    ) {
      return cognitoError(res, "invalid_request");
    }
    const params = new URLSearchParams(body.toString("utf8"));
    for (const name of new Set(params.keys()))
      if (params.getAll(name).length > 1) return cognitoError(res, "invalid_request");
    if (params.has("audience") || params.has("resource")) return cognitoError(res, "invalid_request");
    let clientId = params.get("client_id") ?? undefined;
    let secret = params.get("client_secret") ?? undefined;
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization?.trim() ?? "");
    if (req.headers.authorization !== undefined) {
      if (!basic?.[1] || secret !== undefined) return cognitoError(res, "invalid_request");
      const decoded = Buffer.from(basic[1], "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return cognitoError(res, "invalid_client");
      const basicId = decoded.slice(0, colon);
      if (clientId !== undefined && clientId !== basicId) return cognitoError(res, "invalid_request");
      clientId = basicId;
      secret = decoded.slice(colon + 1);
    }
    const client = clientId === undefined ? undefined : clients.get(clientId);
    if (!client || secret === undefined || !secretEquals(secret, client.clientSecret)) {
      return cognitoError(res, "invalid_client");
    }
    const grantType = params.get("grant_type");
    if (grantType === null) return cognitoError(res, "invalid_request");
    if (grantType !== "client_credentials") {
      return cognitoError(
        res,
        ["authorization_code", "refresh_token"].includes(grantType)
          ? "unauthorized_client"
          : "unsupported_grant_type",
      );
    }
    const requested = (params.get("scope") ?? "").split(" ").filter(Boolean);
    const scopes = requested.length > 0 ? [...new Set(requested)] : client.allowedScopes;
    if (scopes.length === 0 || scopes.some((s) => !client.allowedScopes.includes(s))) {
      return cognitoError(res, "invalid_scope");
    }
    const now = Math.floor(clock.now() / 1000);
    const accessToken = await new SignJWT({
      client_id: client.clientId,
      token_use: "access",
      scope: scopes.join(" "),
      auth_time: now,
      version: 2,
    })
      .setProtectedHeader({ alg: "RS256", kid })
      .setSubject(client.clientId)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
    issuedCount++;
    json(res, 200, { access_token: accessToken, expires_in: ttlSeconds, token_type: "Bearer" });
  }

  const pool = createServer((req, res) => poolRoute(req, res));
  const domainServer = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/oauth2/token") return json(res, 404, { message: "Not found" });
    if (req.method !== "POST") return json(res, 405, { message: "Method not allowed" });
    token(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: "server_error" });
      else res.destroy();
    });
  });
  const host = opts.host ?? "127.0.0.1";
  const listen = (server: Server, port: number) =>
    new Promise<string>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        const a = server.address() as AddressInfo;
        resolve(`http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`);
      });
    });
  const poolOrigin = await listen(pool, opts.port ?? 0);
  domain = await listen(domainServer, opts.domainPort ?? 0);
  issuer = `${poolOrigin}/${userPoolId}`;
  const close = (server: Server) =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    domain,
    tokenEndpoint: `${domain}/oauth2/token`,
    userPoolId,
    issued: () => issuedCount,
    close: async () => {
      await Promise.all([close(pool), close(domainServer)]);
    },
  };
}
