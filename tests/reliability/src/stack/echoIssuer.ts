/**
 * A tiny, deliberately careless OAuth issuer for the secrets-hygiene suite: every token request is
 * refused with an error whose text echoes what the client sent (the client secret raw, URL-encoded,
 * the raw request body, the Basic Authorization header), the way misconfigured gateways and debug
 * builds do. It serves OIDC discovery so the broker's `oauth2` request style (Basic client auth)
 * works against it too, and it records what it received.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** How the issuer echoes the request in its error. */
export type EchoVariant =
  | "secret-raw"
  | "secret-url-encoded"
  | "request-body"
  | "authorization-header"
  | "secret-in-error-code"
  | "secret-in-html-500";

/** The running issuer. */
export interface EchoIssuer {
  /** Issuer URL with a trailing slash. */
  url: string;
  variant: EchoVariant;
  /** The last request it received. */
  last(): { authorization: string | undefined; body: string } | undefined;
  close(): Promise<void>;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => resolve(body));
  });

function secretOf(body: string, authorization: string | undefined): string {
  try {
    const json = JSON.parse(body) as { client_secret?: string };
    if (json.client_secret) return json.client_secret;
  } catch {
    // form body
  }
  const form = new URLSearchParams(body).get("client_secret");
  if (form) return form;
  if (authorization?.startsWith("Basic ")) {
    const pair = Buffer.from(authorization.slice(6), "base64").toString("utf8");
    return decodeURIComponent((pair.split(":")[1] ?? "").replace(/\+/g, " "));
  }
  return "";
}

/** Starts the issuer on loopback. */
export async function startEchoIssuer(): Promise<EchoIssuer> {
  let last: { authorization: string | undefined; body: string } | undefined;
  const state: { variant: EchoVariant } = { variant: "secret-raw" };
  let base = "";
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/.well-known/openid-configuration" || path === "/.well-known/oauth-authorization-server") {
      const doc = JSON.stringify({
        issuer: base,
        token_endpoint: `${base}token`,
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        jwks_uri: `${base}jwks.json`,
      });
      res.writeHead(200, { "content-type": "application/json" }).end(doc);
      return;
    }
    const body = await read(req);
    const authorization = req.headers.authorization;
    last = { authorization, body };
    const secret = secretOf(body, authorization);
    const answer = (status: number, error: string, description: string) =>
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify({ error, error_description: description }));
    switch (state.variant) {
      case "secret-raw":
        return answer(401, "invalid_client", `The client secret "${secret}" is not valid for this client.`);
      case "secret-url-encoded":
        return answer(
          401,
          "invalid_client",
          `rejected credential ${encodeURIComponent(secret)} (url-encoded)`,
        );
      case "request-body":
        return answer(400, "invalid_request", `could not process request body: ${body}`);
      case "authorization-header":
        return answer(
          401,
          "invalid_client",
          `bad client authentication; Authorization: ${authorization ?? "(none)"}`,
        );
      case "secret-in-error-code":
        return answer(401, secret.slice(0, 60), "see error");
      case "secret-in-html-500":
        res
          .writeHead(500, { "content-type": "text/html" })
          .end(`<html><pre>client_secret=${secret}\n${body}</pre></html>`);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    get variant() {
      return state.variant;
    },
    set variant(v: EchoVariant) {
      state.variant = v;
    },
    last: () => last,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
