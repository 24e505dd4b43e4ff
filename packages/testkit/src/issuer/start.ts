import { createServer, IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { JWK } from "jose";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { type IssuerAction, loadAction, runCredentialsExchange } from "./actions.js";
import { Tenant } from "./clients.js";
import { FaultState } from "./faults.js";
import { buildProvider, generateSigningKey, JWKS_PATH, PROVIDER_TOKEN_PATH } from "./provider.js";
import { checkTokenRequest, type TokenEndpointStyle } from "./tokenRequest.js";
import type { LocalIssuer, StartIssuerOptions } from "./types.js";

/** Token requests are small; Auth0 and oidc-provider both cap well below this. */
const MAX_TOKEN_BODY_BYTES = 64 * 1024;
/** Admin requests are tiny JSON objects. */
const MAX_ADMIN_BODY_BYTES = 4 * 1024;
const ADMIN_FAULTS_PATH = "/__admin/faults";
const ADMIN_STATS_PATH = "/__admin/stats";

const TOKEN_PATHS: Record<string, TokenEndpointStyle> = { "/oauth/token": "auth0", "/token": "oauth2" };

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/**
 * A request the front hands to oidc-provider in-process, carrying the normalized token request as a
 * fresh form body (the original body stream was already consumed by the front).
 */
function providerTokenRequest(original: IncomingMessage, form: string, basic: string): IncomingMessage {
  const req = new IncomingMessage(original.socket as Socket);
  req.method = "POST";
  req.url = PROVIDER_TOKEN_PATH;
  req.httpVersion = original.httpVersion;
  req.headers = {
    host: original.headers.host ?? "127.0.0.1",
    "content-type": "application/x-www-form-urlencoded",
    "content-length": String(Buffer.byteLength(form)),
    authorization: `Basic ${basic}`,
  };
  req.push(Buffer.from(form));
  req.push(null);
  req.complete = true;
  return req;
}

/**
 * Start a local Auth0-compatible issuer on loopback.
 *
 * Layout: a small `node:http` front owns the socket. It injects faults, serves `/__admin/faults`, and
 * for `POST /oauth/token` (Auth0: JSON or form, `audience`, secret in the body or Basic) and
 * `POST /token` (oauth2 style: form, `resource`, Basic or client_secret_post) applies Auth0's
 * client-credentials rules (secrets with rotation grace, client grants, scopes) and answers
 * Auth0-shaped errors. Accepted requests are rewritten to RFC 8707 form (`resource`, `scope`) and
 * handed in-process to oidc-provider, which mints and signs the JWT; discovery and JWKS are
 * oidc-provider's own. The front is hand-written because Auth0's `audience`, JSON bodies, grace
 * secrets and error texts are not oidc-provider behaviour; everything token-shaped is.
 *
 * @example
 * const issuer = await startIssuer({
 *   apis: [{ audience: "https://mcp.example.com", profile: "rfc9068", scopes: ["mcp:invoke"] }],
 *   clients: [{ clientId: "broker", clientSecret: "s3cret", grants: { "https://mcp.example.com": ["mcp:invoke"] } }],
 * });
 * const res = await fetch(issuer.tokenEndpoint, { method: "POST", headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ grant_type: "client_credentials", client_id: "broker", client_secret: "s3cret", audience: "https://mcp.example.com" }) });
 * await issuer.close();
 */
export async function startIssuer(opts: StartIssuerOptions): Promise<LocalIssuer> {
  const clock = opts.clock ?? Date;
  const tenant = new Tenant(opts.apis, opts.clients, clock);
  const faults = new FaultState();
  const issuedCounts = new Map<string, number>(); // `${clientId}\n${audience}` → count
  let requestCount = 0;
  let keys: JWK[] = [await generateSigningKey()];
  const actions = (opts.actions?.credentialsExchange ?? []).map((action: IssuerAction) => ({
    handler: loadAction(action.file),
    secrets: action.secrets ?? {},
  }));
  /** Claims the Actions set, by the in-process request handed to the provider. */
  const actionClaims = new WeakMap<IncomingMessage, Record<string, unknown>>();
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  async function handleToken(
    req: IncomingMessage,
    res: ServerResponse,
    style: TokenEndpointStyle,
  ): Promise<void> {
    requestCount++;
    const fault = faults.nextTokenFault();
    if (fault.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault.kind === "rateLimit") {
      sendJson(
        res,
        429,
        { error: "too_many_requests", error_description: "Global limit has been reached" },
        { "retry-after": String(fault.retryAfterSeconds), "x-ratelimit-remaining": "0" },
      );
      return;
    }
    if (fault.kind === "fail") {
      sendJson(res, fault.status, {
        error: fault.status === 503 ? "temporarily_unavailable" : "server_error",
        error_description: fault.status === 503 ? "Service Unavailable" : "Internal Server Error",
      });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_TOKEN_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        sendJson(
          res,
          413,
          { error: "invalid_request", error_description: "Request body too large" },
          { connection: "close" },
        );
        return;
      }
      throw err;
    }
    const checked = checkTokenRequest(
      tenant,
      style,
      { contentType: req.headers["content-type"], authorization: req.headers.authorization },
      body,
    );
    if ("error" in checked) {
      sendJson(res, checked.status, { error: checked.error, error_description: checked.error_description });
      return;
    }
    let claims: Record<string, unknown> = {};
    if (actions.length > 0) {
      const outcome = await runCredentialsExchange(actions, {
        clientId: checked.clientId,
        audience: checked.audience,
        scopes: checked.scope === "" ? [] : checked.scope.split(" "),
        body: checked.params,
        hostname: req.headers.host ?? "127.0.0.1",
        ip: req.socket.remoteAddress ?? "",
        userAgent: String(req.headers["user-agent"] ?? "").slice(0, 512),
      });
      if ("error" in outcome) {
        sendJson(res, outcome.status, { error: outcome.error, error_description: outcome.error_description });
        return;
      }
      claims = outcome.claims;
    }
    const form = new URLSearchParams({ grant_type: "client_credentials", resource: checked.audience });
    if (checked.scope) form.set("scope", checked.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(checked.clientId)}:${encodeURIComponent(tenant.internalSecret(checked.clientId) ?? "")}`,
    ).toString("base64");
    res.on("finish", () => {
      if (res.statusCode === 200) {
        const key = `${checked.clientId}\n${checked.audience}`;
        issuedCounts.set(key, (issuedCounts.get(key) ?? 0) + 1);
      }
    });
    const providerRequest = providerTokenRequest(req, form.toString(), basic);
    actionClaims.set(providerRequest, claims);
    callback?.(providerRequest, res);
  }

  /** Counters for other processes (benchmarks): `GET /__admin/stats`. */
  function stats(): { requests: number; issued: { clientId: string; audience: string; count: number }[] } {
    const issued = [...issuedCounts].map(([key, count]) => {
      const [clientId = "", audience = ""] = key.split("\n");
      return { clientId, audience, count };
    });
    return { requests: requestCount, issued };
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "invalid_request", error_description: "use POST" });
      return;
    }
    try {
      const body = await readBody(req, MAX_ADMIN_BODY_BYTES);
      faults.applyAdmin(JSON.parse(body.toString("utf8")));
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : 400;
      sendJson(res, status, { error: "invalid_request", error_description: (err as Error).message });
      return;
    }
    sendJson(res, 200, { ok: true });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    void (async () => {
      if (path === ADMIN_FAULTS_PATH) return handleAdmin(req, res);
      if (path === ADMIN_STATS_PATH) return sendJson(res, 200, stats());
      if (faults.isDown) {
        if (TOKEN_PATHS[path]) requestCount++;
        req.socket.destroy();
        return;
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const style = TOKEN_PATHS[path];
      if (style && req.method === "POST") return handleToken(req, res, style);
      callback?.(req, res);
    })().catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, { error: "server_error", error_description: "Internal Server Error" });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;

  const install = () => {
    callback = buildProvider(url, tenant, keys, (req) => actionClaims.get(req)).callback();
  };
  install();

  return {
    url,
    discoveryUrl: `${url}.well-known/openid-configuration`,
    tokenEndpoint: `${url}oauth/token`,
    oauth2TokenEndpoint: `${url}token`,
    jwksUri: `${url}${JWKS_PATH.slice(1)}`,
    adminUrl: `${url}${ADMIN_FAULTS_PATH.slice(1)}`,
    statsUrl: `${url}${ADMIN_STATS_PATH.slice(1)}`,
    issued(filter = {}) {
      let total = 0;
      for (const [key, count] of issuedCounts) {
        const [clientId, audience] = key.split("\n");
        if (filter.clientId !== undefined && filter.clientId !== clientId) continue;
        if (filter.audience !== undefined && filter.audience !== audience) continue;
        total += count;
      }
      return total;
    },
    requests: () => requestCount,
    setTtl: (audience, seconds) => tenant.setTtl(audience, seconds),
    rotateSecret: (clientId, newSecret, o = {}) =>
      tenant.rotateSecret(clientId, newSecret, o.graceSeconds ?? 0),
    async rotateSigningKey(o = {}) {
      const fresh = await generateSigningKey();
      keys = o.keepOld === false ? [fresh] : [fresh, ...keys];
      install();
    },
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
