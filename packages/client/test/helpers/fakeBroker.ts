import { defaultIdentities, type LocalIdentity, startFunctionUrlEmulator } from "@mcp-token/testkit";

/** One request as the fake broker handler saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
  principal: string;
}

/** What the fake handler answers. */
export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A stand-in broker (token-shaped answers) behind the real testkit Function URL emulator, which
 * verifies SigV4 like AWS does. Used for client tests that are about signing, caching and errors,
 * not about the broker's own logic.
 */
export async function startFakeBroker(opts: { expiresIn?: number } = {}) {
  const ids = defaultIdentities();
  const seen: SeenRequest[] = [];
  let issued = 0;
  let expiresIn = opts.expiresIn ?? 3600;
  let now: () => number = Date.now;
  let responder: ((req: SeenRequest) => FakeResponse | undefined) | undefined;
  const emulator = await startFunctionUrlEmulator({
    identities: [ids.developer, ids.agent],
    handler: (event) => {
      const raw = event.body
        ? event.isBase64Encoded
          ? Buffer.from(event.body, "base64").toString()
          : event.body
        : "";
      const req: SeenRequest = {
        method: event.requestContext.http.method,
        path: event.rawPath,
        body: raw ? JSON.parse(raw) : undefined,
        principal: event.requestContext.authorizer.iam.userArn ?? "",
      };
      seen.push(req);
      const custom = responder?.(req);
      const res = custom ?? defaultResponse(req);
      return {
        statusCode: res.status,
        headers: { "content-type": "application/json", ...res.headers },
        body: typeof res.body === "string" ? res.body : JSON.stringify(res.body),
      };
    },
  });

  function defaultResponse(req: SeenRequest): FakeResponse {
    if (req.path === "/v1/token") {
      issued++;
      const profile = (req.body as { profile?: string } | undefined)?.profile ?? "default";
      return {
        status: 200,
        body: {
          access_token: `token-${issued}`,
          token_type: "Bearer",
          expires_in: expiresIn,
          expires_at: new Date(now() + expiresIn * 1000).toISOString(),
          scope: "invoke",
          profile,
        },
      };
    }
    if (req.path === "/v1/whoami") {
      return {
        status: 200,
        body: { principal: req.principal, accountId: "123456789012", normalizedPrincipal: req.principal },
      };
    }
    if (req.path === "/v1/profiles") {
      return {
        status: 200,
        body: { profiles: [{ name: "default", audience: "https://mcp.example.com/", scopes: [] }] },
      };
    }
    return {
      status: 404,
      body: { error: "unknown_profile", error_description: "no such path", request_id: "r-1" },
    };
  }

  return {
    url: emulator.url,
    region: emulator.region,
    ids,
    seen,
    tokenRequests: () => seen.filter((r) => r.path === "/v1/token").length,
    invocations: () => emulator.invocations(),
    /** The clock `expires_at` is computed from (the client's clock in tests that inject one). */
    setClock(clock: { now(): number }) {
      now = () => clock.now();
    },
    setExpiresIn(seconds: number) {
      expiresIn = seconds;
    },
    respond(fn: ((req: SeenRequest) => FakeResponse | undefined) | undefined) {
      responder = fn;
    },
    close: () => emulator.close(),
  };
}

/** Static credentials of a testkit identity. */
export function credentialsOf(id: LocalIdentity) {
  return {
    accessKeyId: id.accessKeyId,
    secretAccessKey: id.secretAccessKey,
    ...(id.sessionToken ? { sessionToken: id.sessionToken } : {}),
  };
}
