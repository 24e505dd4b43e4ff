// The HTTP half of `mcp-token proxy` (and of `doctor`'s MCP check): a Streamable HTTP client that
// forwards JSON-RPC messages verbatim.
//
// Why hand-written rather than the MCP SDK's StreamableHTTPClientTransport: the proxy must
// (1) retry once on 403 as well as 401 with a refetched token (the SDK retries only on 401 and needs
// an OAuth-shaped provider for it), (2) re-initialise a lost session on 404 by replaying the client's
// own `initialize` and `notifications/initialized` and then retry the failed message (the SDK has no
// re-initialisation), (3) share one re-initialisation between concurrent requests, and (4) forward
// messages it does not understand without validating them against the SDK's schemas (a newer server
// or client must still work through an older proxy). Everything else follows the transport spec:
// POST per message with `Accept: application/json, text/event-stream`, JSON or SSE answers, the
// `Mcp-Session-Id` echoed, `MCP-Protocol-Version` after initialisation, an optional GET stream for
// server-initiated messages, DELETE of the session on close.
import type { FetchLike, TokenSource } from "@mcp-token/client";
import { readBoundedText } from "@mcp-token/client";
import type { Logger } from "../output/logger.js";
import { isJsonRpcMessage, isRequest, type JsonRpcId, type JsonRpcMessage } from "./jsonRpc.js";
import { parseSse } from "./sse.js";

/** Largest JSON response body or SSE event accepted from the server (bytes). */
export const MAX_SERVER_MESSAGE_BYTES = 16 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 8 * 1024;
const CONNECT_RETRY_DELAYS_MS = [200, 400, 800, 1600];

/** Options of {@link RemoteMcp}. */
export interface RemoteMcpOptions {
  url: URL;
  tokens: Pick<TokenSource, "getToken" | "invalidate">;
  userAgent: string;
  log: Logger;
  /** Receives every message the server sends for the client (responses, notifications, requests). */
  onMessage(message: JsonRpcMessage): void;
  fetch?: FetchLike;
  /** Default {@link MAX_SERVER_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Open the GET stream for server-initiated messages after initialisation. Default true. */
  listen?: boolean;
}

/** The server answered with an HTTP error (after the retries that apply). */
export class McpHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly wwwAuthenticate: string | undefined,
    /** A JSON-RPC error the server put in the body, if any. */
    readonly rpcError: { code: number; message: string } | undefined,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "McpHttpError";
  }
}

/** The server could not be reached (connection refused after retries, reset, DNS, TLS). */
export class McpConnectionError extends Error {
  constructor(url: URL, cause: unknown) {
    super(`cannot reach ${url.origin} (${networkCode(cause)})`, { cause });
    this.name = "McpConnectionError";
  }
}

/**
 * Requests that change nothing on the server, so resending one whose fate is unknown (the
 * connection dropped mid-request, a draining server answered 503) cannot do anything twice.
 * A `tools/call` is resendable only for tools the server declared `readOnlyHint` or
 * `idempotentHint` in a `tools/list` answer seen by this connection.
 */
const SAFE_METHODS = new Set([
  "initialize",
  "ping",
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "completion/complete",
  "logging/setLevel",
]);

interface PostContext {
  /** Request ids in this POST (their responses end an SSE answer). */
  requestIds: Set<JsonRpcId>;
  /** Ids of `tools/list` requests in this POST (their answers teach which tools are safe to resend). */
  toolsListIds?: Set<JsonRpcId>;
  /** Whether the whole POST may be sent again when its fate is unknown. */
  resendable: boolean;
  isInitialize: boolean;
  /** Internal replays are not retried through another re-initialisation. */
  allowReinit: boolean;
  sink(message: JsonRpcMessage): void;
}

/** A Streamable HTTP connection to one MCP endpoint. */
export class RemoteMcp {
  sessionId: string | undefined;
  protocolVersion: string | undefined;
  readonly #o: RemoteMcpOptions;
  readonly #fetch: FetchLike;
  readonly #maxBytes: number;
  readonly #abort = new AbortController();
  #initialize: JsonRpcMessage | undefined;
  #initialized: JsonRpcMessage | undefined;
  #gate: Promise<void> = Promise.resolve();
  #reinit: { lost: string; promise: Promise<void> } | undefined;
  #reinitCount = 0;
  #listening = false;
  #closed = false;
  readonly #safeTools = new Set<string>();

  constructor(options: RemoteMcpOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#maxBytes = options.maxMessageBytes ?? MAX_SERVER_MESSAGE_BYTES;
  }

  /**
   * Sends one message (or a batch) and delivers everything the server answers to `onMessage`.
   * `initialize` and `notifications/initialized` are ordered: later messages wait for them.
   * Throws {@link McpHttpError}, {@link McpConnectionError}, or the token source's errors.
   */
  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    const messages = Array.isArray(message) ? message : [message];
    const isInitialize = messages.some((m) => m.method === "initialize" && isRequest(m));
    const isInitialized = messages.some((m) => m.method === "notifications/initialized");
    const ordered = isInitialize || isInitialized;
    let release: (() => void) | undefined;
    const previous = this.#gate;
    if (ordered) this.#gate = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      if (isInitialize) {
        this.#initialize = messages.find((m) => m.method === "initialize");
        this.#initialized = undefined;
        this.sessionId = undefined;
        this.protocolVersion = undefined;
      }
      const requests = messages.filter(isRequest);
      await this.#post(message, {
        requestIds: new Set(requests.map((m) => m.id as JsonRpcId)),
        toolsListIds: new Set(
          requests.filter((m) => m.method === "tools/list").map((m) => m.id as JsonRpcId),
        ),
        resendable: requests.every((m) => this.#safeToResend(m)),
        isInitialize,
        allowReinit: !isInitialize,
        sink: this.#o.onMessage,
      });
      if (isInitialized) {
        this.#initialized = messages.find((m) => m.method === "notifications/initialized");
        this.#startListening();
      }
    } finally {
      release?.();
    }
  }

  /** Stops the GET stream, aborts in-flight requests and ends the session (best effort, ≤ 300 ms). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    const session = this.sessionId;
    if (!session) return;
    try {
      const token = await withTimeout(this.#o.tokens.getToken(), 300);
      const res = await this.#fetch(this.#o.url, {
        method: "DELETE",
        headers: this.#headers(token, session, false),
        signal: AbortSignal.timeout(300),
      });
      await res.body?.cancel().catch(() => {});
    } catch {
      // Best effort: the server expires idle sessions anyway.
    }
  }

  #safeToResend(request: JsonRpcMessage): boolean {
    if (SAFE_METHODS.has(request.method as string)) return true;
    const tool = (request.params as { name?: unknown } | undefined)?.name;
    return request.method === "tools/call" && typeof tool === "string" && this.#safeTools.has(tool);
  }

  #learnTools(result: unknown): void {
    const tools = (result as { tools?: unknown } | undefined)?.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools as {
      name?: unknown;
      annotations?: { readOnlyHint?: unknown; idempotentHint?: unknown };
    }[]) {
      if (typeof tool?.name !== "string") continue;
      if (tool.annotations?.readOnlyHint === true || tool.annotations?.idempotentHint === true)
        this.#safeTools.add(tool.name);
      else this.#safeTools.delete(tool.name);
    }
  }

  #headers(token: string, session: string | undefined, isInitialize: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
      "user-agent": this.#o.userAgent,
    };
    if (session) headers["mcp-session-id"] = session;
    if (this.protocolVersion && !isInitialize) headers["mcp-protocol-version"] = this.protocolVersion;
    return headers;
  }

  async #post(message: JsonRpcMessage | JsonRpcMessage[], ctx: PostContext): Promise<void> {
    const body = JSON.stringify(message);
    let authRetried = false;
    let reinitDone = false;
    let connectAttempt = 0;
    let resent = false;
    for (;;) {
      // While a lost session is being replaced, wait for the new one instead of sending without.
      if (this.#reinit && ctx.allowReinit) await this.#reinit.promise.catch(() => {});
      const token = await this.#o.tokens.getToken();
      const session = this.sessionId;
      let res: Response;
      try {
        res = await this.#fetch(this.#o.url, {
          method: "POST",
          headers: { ...this.#headers(token, session, ctx.isInitialize), "content-type": "application/json" },
          body,
          signal: this.#abort.signal,
        });
      } catch (error) {
        // Connection refused: the request never reached the server (e.g. it is restarting), so it is
        // resent with backoff. Any other network error leaves the request's fate unknown: it is
        // resent once only if doing it twice cannot matter (see SAFE_METHODS).
        const delay = CONNECT_RETRY_DELAYS_MS[connectAttempt];
        const refused = isConnectionRefused(error);
        if (!this.#closed && delay !== undefined && (refused || (ctx.resendable && !resent))) {
          if (!refused) resent = true;
          connectAttempt++;
          this.#o.log.debug(`${networkCode(error)} from ${this.#o.url.origin}; retrying in ${delay} ms`);
          await sleep(delay, this.#abort.signal);
          continue;
        }
        throw new McpConnectionError(this.#o.url, error);
      }
      if (res.status === 503 && ctx.resendable && !resent && !this.#closed) {
        // A draining or overloaded server; honour a short Retry-After once.
        await drain(res);
        resent = true;
        const retryAfter = Number(res.headers.get("retry-after"));
        await sleep(
          Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : 500,
          this.#abort.signal,
        );
        continue;
      }
      if ((res.status === 401 || res.status === 403) && !authRetried) {
        await drain(res);
        authRetried = true;
        this.#o.log.info(`MCP server answered ${res.status}; refreshing the token and retrying once`);
        await this.#o.tokens.invalidate(token);
        continue;
      }
      if (res.status === 404 && session && ctx.allowReinit && !reinitDone && this.#initialize) {
        await drain(res);
        reinitDone = true;
        this.#o.log.info("MCP session expired (404); re-initialising and retrying once");
        await this.#reinitialise(session);
        continue;
      }
      if (!res.ok) throw await httpError(res);
      const returned = res.headers.get("mcp-session-id");
      if (ctx.isInitialize) this.sessionId = returned ?? undefined;
      else if (returned) this.sessionId = returned;
      await this.#consume(res, ctx);
      return;
    }
  }

  async #consume(res: Response, ctx: PostContext): Promise<void> {
    const type = (res.headers.get("content-type") ?? "").toLowerCase();
    const deliver = (value: unknown) => {
      for (const m of Array.isArray(value) ? value : [value]) {
        if (!isJsonRpcMessage(m)) {
          this.#o.log.warn("dropped a server message that is not JSON-RPC 2.0");
          continue;
        }
        if (ctx.isInitialize && m.id !== undefined && ctx.requestIds.has(m.id)) {
          const version = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
          if (typeof version === "string" && version.length < 64) this.protocolVersion = version;
        }
        if (m.id !== undefined && !m.method) {
          ctx.requestIds.delete(m.id);
          if (ctx.toolsListIds?.has(m.id)) this.#learnTools(m.result);
        }
        ctx.sink(m);
      }
    };
    if (res.status === 202 || res.status === 204 || !res.body) {
      await drain(res);
      return;
    }
    if (type.startsWith("application/json")) {
      const text = await readBoundedText(res, this.#maxBytes);
      if (text.trim() === "") return;
      deliver(JSON.parse(text));
      return;
    }
    if (type.startsWith("text/event-stream")) {
      for await (const event of parseSse(res.body, this.#maxBytes)) {
        if (event.event !== "message" || event.data === "") continue;
        try {
          deliver(JSON.parse(event.data));
        } catch {
          this.#o.log.warn("dropped a server-sent event that is not JSON");
        }
        // The answer is complete once every request in the POST has its response.
        if (ctx.requestIds.size === 0 && !this.#closed) break;
      }
      if (ctx.requestIds.size > 0) {
        throw new McpHttpError(
          res.status,
          "the server closed the event stream before answering",
          undefined,
          undefined,
        );
      }
      return;
    }
    await drain(res);
    if (ctx.requestIds.size > 0) {
      throw new McpHttpError(
        res.status,
        `unexpected content type ${JSON.stringify(type.slice(0, 60))}`,
        undefined,
        undefined,
      );
    }
  }

  async #reinitialise(lost: string): Promise<void> {
    if (this.#reinit?.lost === lost) return this.#reinit.promise;
    if (this.sessionId !== lost) return; // another request already re-initialised
    const init = this.#initialize as JsonRpcMessage;
    const initialized = this.#initialized;
    const promise = (async () => {
      this.sessionId = undefined;
      this.protocolVersion = undefined;
      const id = `mcp-token-reinit-${++this.#reinitCount}`;
      const discard = () => {};
      await this.#post(
        { ...init, id },
        {
          requestIds: new Set([id]),
          resendable: true,
          isInitialize: true,
          allowReinit: false,
          sink: discard,
        },
      );
      if (initialized) {
        await this.#post(initialized, {
          requestIds: new Set(),
          resendable: true,
          isInitialize: false,
          allowReinit: false,
          sink: discard,
        });
      }
      this.#o.log.info("MCP session re-initialised");
    })();
    this.#reinit = { lost, promise };
    try {
      await promise;
    } finally {
      if (this.#reinit?.promise === promise) this.#reinit = undefined;
    }
    if (initialized) this.#startListening();
  }

  #startListening(): void {
    if (this.#o.listen === false || this.#listening || this.#closed) return;
    this.#listening = true;
    void this.#listen()
      .catch((error: unknown) => this.#o.log.debug(`server event stream ended: ${(error as Error).message}`))
      .finally(() => {
        this.#listening = false;
      });
  }

  /** The optional GET stream for server-initiated messages; reconnects with backoff, stops on 4xx. */
  async #listen(): Promise<void> {
    let failures = 0;
    let authRetried = false;
    let lastEventId: string | undefined;
    let retryMs = 1000;
    while (!this.#closed) {
      let res: Response;
      const token = await this.#o.tokens.getToken();
      try {
        const headers = { ...this.#headers(token, this.sessionId, false), accept: "text/event-stream" };
        if (lastEventId !== undefined) Object.assign(headers, { "last-event-id": lastEventId });
        res = await this.#fetch(this.#o.url, { method: "GET", headers, signal: this.#abort.signal });
      } catch (error) {
        if (this.#closed || ++failures > 5) return;
        this.#o.log.debug(`server event stream: ${networkCode(error)}; reconnecting`);
        await sleep(retryMs * 2 ** (failures - 1), this.#abort.signal);
        continue;
      }
      if ((res.status === 401 || res.status === 403) && !authRetried) {
        await drain(res);
        authRetried = true;
        await this.#o.tokens.invalidate(token);
        continue;
      }
      const type = (res.headers.get("content-type") ?? "").toLowerCase();
      if (!res.ok || !res.body || !type.startsWith("text/event-stream")) {
        await drain(res);
        this.#o.log.debug(`no server event stream (GET answered ${res.status})`);
        return;
      }
      authRetried = false;
      failures = 0;
      try {
        for await (const event of parseSse(res.body, this.#maxBytes)) {
          if (event.id !== undefined) lastEventId = event.id;
          if (event.retry !== undefined) retryMs = Math.min(Math.max(event.retry, 100), 60_000);
          if (event.event !== "message" || event.data === "") continue;
          try {
            const value: unknown = JSON.parse(event.data);
            for (const m of Array.isArray(value) ? value : [value]) {
              if (isJsonRpcMessage(m)) this.#o.onMessage(m);
            }
          } catch {
            this.#o.log.warn("dropped a server-sent event that is not JSON");
          }
        }
      } catch (error) {
        if (this.#closed) return;
        this.#o.log.debug(`server event stream interrupted: ${(error as Error).message}`);
      }
      await sleep(retryMs, this.#abort.signal);
    }
  }
}

async function httpError(res: Response): Promise<McpHttpError> {
  let text = "";
  try {
    text = await readBoundedText(res, MAX_ERROR_BODY_BYTES);
  } catch {
    // keep the status alone
  }
  let detail = "";
  let rpcError: { code: number; message: string } | undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body.error as { code?: unknown; message?: unknown } | string | undefined;
    if (error && typeof error === "object" && typeof error.message === "string") {
      detail = error.message;
      if (typeof error.code === "number") rpcError = { code: error.code, message: error.message };
    } else if (typeof body.error_description === "string") {
      detail = body.error_description;
    } else if (typeof error === "string") {
      detail = error;
    } else if (typeof body.message === "string") {
      detail = body.message;
    } else if (typeof body.Message === "string") {
      detail = body.Message;
    }
  } catch {
    detail = "";
  }
  const www = res.headers.get("www-authenticate") ?? undefined;
  if (!detail && www) detail = /error_description="([^"]*)"/.exec(www)?.[1] ?? "";
  return new McpHttpError(res.status, clean(detail), www ? clean(www) : undefined, rpcError);
}

function clean(text: string): string {
  let flat = "";
  for (const ch of text) flat += ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? " " : ch;
  flat = flat.replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[REDACTED]");
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

async function drain(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause as
    | { code?: unknown; errors?: { code?: unknown }[] }
    | undefined;
  if (!cause) return false;
  if (cause.code === "ECONNREFUSED") return true;
  return (
    Array.isArray(cause.errors) &&
    cause.errors.length > 0 &&
    cause.errors.every((e) => e.code === "ECONNREFUSED")
  );
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (error instanceof Error && error.name === "AbortError") return "aborted";
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref?.()),
  ]);
}
