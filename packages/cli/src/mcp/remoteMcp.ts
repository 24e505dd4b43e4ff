// The HTTP half of `mcp-token proxy` (and of `doctor`'s MCP check): a Streamable HTTP client that
// forwards JSON-RPC messages verbatim. Session state lives in sessionState.ts, what to do after a
// failed attempt in retryPolicy.ts, server messages on SSE are read by eventStream.ts; this file
// sends the HTTP requests and carries out the decisions.
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
import { readBoundedText } from "@mcp-token/core";
import type { Logger } from "../output/logger.js";
import { httpErrorFrom, McpConnectionError, McpHttpError } from "./errors.js";
import { deliverMessages, readEventStream, type StreamCursor } from "./eventStream.js";
import { isRequest, type JsonRpcId, type JsonRpcMessage } from "./jsonRpc.js";
import {
  type Attempt,
  type AttemptOutcome,
  decideRetry,
  firstAttempt,
  isResendable,
  learnResendableTools,
} from "./retryPolicy.js";
import { type Handshake, ProxySession, type SessionState, type SessionView } from "./sessionState.js";

export { McpConnectionError, McpHttpError } from "./errors.js";

/** Largest JSON response body or SSE event accepted from the server (bytes). */
export const MAX_SERVER_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Options of {@link RemoteMcp}. */
export interface RemoteMcpOptions {
  url: URL;
  tokens: Pick<TokenSource, "getToken" | "invalidate">;
  userAgent: string;
  log: Logger;
  /** Receives every message the server sends for the client (responses, notifications, requests). */
  onMessage(message: JsonRpcMessage): void;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Default {@link MAX_SERVER_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Open the GET stream for server-initiated messages after initialisation. Default true. */
  listen?: boolean;
}

/** One message (or batch) on its way to the server. */
interface Exchange {
  /** Request ids awaiting their response (an SSE answer ends once all have one). */
  readonly requestIds: Set<JsonRpcId>;
  /** Ids of `tools/list` requests (their answers teach which tools are safe to resend). */
  readonly toolsListIds: ReadonlySet<JsonRpcId>;
  readonly resendable: boolean;
  /** An `initialize` (the client's or a replay): sent without session headers. */
  readonly initialize: boolean;
  /** A lost session may be replaced for it; false for `initialize` and for the replay. */
  readonly mayReinitialize: boolean;
  /** Session headers to send; default the session's current ones (the replay sets its own). */
  readonly view?: SessionView;
  sink(message: JsonRpcMessage): void;
}

type Sent = { response: Response } | { error: unknown };

/** A Streamable HTTP connection to one MCP endpoint. */
export class RemoteMcp {
  readonly #o: RemoteMcpOptions;
  readonly #fetch: FetchLike;
  readonly #maxBytes: number;
  readonly #abort = new AbortController();
  readonly #session = new ProxySession();
  /** Tools a `tools/list` answer declared read-only or idempotent (see retryPolicy.ts). */
  readonly #safeTools = new Set<string>();
  #listening = false;

  constructor(options: RemoteMcpOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#maxBytes = options.maxMessageBytes ?? MAX_SERVER_MESSAGE_BYTES;
  }

  /** The session as the proxy sees it (see sessionState.ts). */
  get state(): SessionState {
    return this.#session.state;
  }

  /**
   * Sends one message (or a batch) and delivers everything the server answers to `onMessage`.
   * `initialize` and `notifications/initialized` are ordered: later messages wait for them.
   * Throws {@link McpHttpError}, {@link McpConnectionError}, or the token source's errors.
   */
  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    const messages = Array.isArray(message) ? message : [message];
    const initialize = messages.find((m) => m.method === "initialize" && isRequest(m));
    const initialized = messages.find((m) => m.method === "notifications/initialized");
    const release = await this.#session.turn(initialize !== undefined || initialized !== undefined);
    try {
      if (initialize) this.#session.initializing(initialize);
      let answered: SessionView;
      try {
        answered = await this.#post(message, this.#exchange(messages, { sink: this.#o.onMessage }));
      } catch (error) {
        if (initialize) this.#session.initializeFailed();
        throw error;
      }
      if (initialize) this.#session.initialized(answered);
      if (initialized) {
        this.#session.handshakeCompleted(initialized);
        this.#startListening();
      }
    } finally {
      release();
    }
  }

  /** Stops the GET stream, aborts in-flight requests and ends the session (best effort, ≤ 300 ms). */
  async close(): Promise<void> {
    if (this.#session.state.phase === "closed") return;
    const session = this.#session.close();
    this.#abort.abort();
    if (!session) return;
    try {
      const token = await withTimeout(this.#o.tokens.getToken(), 300);
      const res = await this.#fetch(this.#o.url, {
        method: "DELETE",
        headers: this.#headers(token, { sessionId: session }),
        signal: AbortSignal.timeout(300),
      });
      await drain(res);
    } catch {
      // Best effort: the server expires idle sessions anyway.
    }
  }

  #exchange(
    messages: JsonRpcMessage[],
    opts: { sink(message: JsonRpcMessage): void; replay?: boolean; view?: SessionView },
  ): Exchange {
    const requests = messages.filter(isRequest);
    const initialize = requests.some((m) => m.method === "initialize");
    return {
      requestIds: new Set(requests.map((m) => m.id as JsonRpcId)),
      toolsListIds: new Set(requests.filter((m) => m.method === "tools/list").map((m) => m.id as JsonRpcId)),
      resendable: isResendable(messages, this.#safeTools),
      initialize,
      mayReinitialize: !initialize && !opts.replay,
      ...(opts.view ? { view: opts.view } : {}),
      sink: opts.sink,
    };
  }

  get #closed(): boolean {
    return this.#session.state.phase === "closed";
  }

  #headers(token: string, view: SessionView): Record<string, string> {
    const headers: Record<string, string> = {
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
      "user-agent": this.#o.userAgent,
    };
    if (view.sessionId) headers["mcp-session-id"] = view.sessionId;
    if (view.protocolVersion) headers["mcp-protocol-version"] = view.protocolVersion;
    return headers;
  }

  /** One HTTP request; a `fetch` failure is returned, not thrown. */
  async #sendOnce(init: RequestInit): Promise<Sent> {
    try {
      return { response: await this.#fetch(this.#o.url, { ...init, signal: this.#abort.signal }) };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Carries out the retry policy's decision on a failed attempt; returns the next attempt, or
   * throws the failure.
   */
  async #recover(attempt: Attempt, sent: Sent, token: string, view: SessionView): Promise<Attempt> {
    const outcome: AttemptOutcome =
      "error" in sent
        ? { error: sent.error }
        : { status: sent.response.status, headers: sent.response.headers, sentSession: !!view.sessionId };
    const decision = this.#closed
      ? { action: "fail" as const, reason: "closed" }
      : decideRetry(attempt, outcome, Date.now());
    if (decision.action === "fail") {
      if ("error" in sent) throw new McpConnectionError(this.#o.url, sent.error);
      throw await httpErrorFrom(sent.response);
    }
    if ("response" in sent) await drain(sent.response);
    switch (decision.action) {
      case "retry":
        this.#o.log.debug(`${this.#o.url.origin}: ${decision.reason}`);
        await sleep(decision.delayMs, this.#abort.signal);
        break;
      case "refresh-token":
        this.#o.log.info(decision.reason);
        await this.#o.tokens.invalidate(token);
        break;
      case "reinitialize":
        this.#o.log.info(decision.reason);
        await this.#reinitialise(view.sessionId as string);
        break;
    }
    return decision.next;
  }

  /** POSTs a message until it is answered or the retry policy gives up; returns the answer's session headers. */
  async #post(message: JsonRpcMessage | JsonRpcMessage[], ex: Exchange): Promise<SessionView> {
    const body = JSON.stringify(message);
    let attempt = firstAttempt({
      request: "post",
      resendable: ex.resendable,
      mayReinitialize: ex.mayReinitialize,
    });
    for (;;) {
      // While a lost session is being replaced, wait for the new one instead of sending without.
      if (ex.mayReinitialize) await this.#session.settled();
      const view: SessionView = ex.initialize ? {} : (ex.view ?? this.#session.view());
      const token = await this.#o.tokens.getToken();
      const sent = await this.#sendOnce({
        method: "POST",
        headers: { ...this.#headers(token, view), "content-type": "application/json" },
        body,
      });
      if ("response" in sent && sent.response.ok) {
        const sessionId = sent.response.headers.get("mcp-session-id") ?? undefined;
        if (sessionId && !ex.initialize && !ex.view) this.#session.sessionIdChanged(sessionId);
        const protocolVersion = await this.#consume(sent.response, ex);
        return {
          ...(sessionId !== undefined ? { sessionId } : {}),
          ...(protocolVersion !== undefined ? { protocolVersion } : {}),
        };
      }
      attempt = await this.#recover(attempt, sent, token, view);
    }
  }

  /** Delivers a POST's answer (JSON or SSE); returns the protocol version an `initialize` answer names. */
  async #consume(res: Response, ex: Exchange): Promise<string | undefined> {
    let protocolVersion: string | undefined;
    const deliver = (m: JsonRpcMessage) => {
      if (m.id !== undefined && !m.method) {
        if (ex.initialize && ex.requestIds.has(m.id)) {
          const version = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
          if (typeof version === "string" && version.length < 64) protocolVersion = version;
        }
        ex.requestIds.delete(m.id);
        if (ex.toolsListIds.has(m.id)) learnResendableTools(m.result, this.#safeTools);
      }
      ex.sink(m);
    };
    const unanswered = (why: string) => new McpHttpError(res.status, why, undefined, undefined);
    const type = contentType(res);
    if (res.status === 202 || res.status === 204 || !res.body) {
      await drain(res);
    } else if (type.startsWith("application/json")) {
      const text = await readBoundedText(res, this.#maxBytes);
      if (text.trim() !== "") deliverMessages(JSON.parse(text), deliver, this.#o.log);
    } else if (type.startsWith("text/event-stream")) {
      await readEventStream(res.body, {
        maxEventBytes: this.#maxBytes,
        onMessage: deliver,
        log: this.#o.log,
        isComplete: () => ex.requestIds.size === 0,
      });
      if (ex.requestIds.size > 0) throw unanswered("the server closed the event stream before answering");
    } else {
      await drain(res);
      if (ex.requestIds.size > 0)
        throw unanswered(`unexpected content type ${JSON.stringify(type.slice(0, 60))}`);
    }
    return protocolVersion;
  }

  /** Replaces the lost session by replaying the handshake (shared by every request that lost it). */
  async #reinitialise(lost: string): Promise<void> {
    let replayedInitialized = false;
    await this.#session.replaceLost(lost, async (handshake: Handshake) => {
      const discard = () => {};
      const view = await this.#post(
        handshake.initialize,
        this.#exchange([handshake.initialize], { sink: discard, replay: true }),
      );
      if (handshake.initialized) {
        await this.#post(
          handshake.initialized,
          this.#exchange([handshake.initialized], { sink: discard, replay: true, view }),
        );
        replayedInitialized = true;
      }
      this.#o.log.info("MCP session re-initialised");
      return view;
    });
    if (replayedInitialized) this.#startListening();
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

  /**
   * The optional GET stream for server-initiated messages: reconnects (resuming with
   * `Last-Event-ID`) after the server's `retry` delay; retries as retryPolicy.ts says; stops when
   * the server has no stream for us.
   */
  async #listen(): Promise<void> {
    const cursor: StreamCursor = { retryMs: 1000 };
    let attempt = firstAttempt({ request: "listen", reconnectMs: cursor.retryMs });
    while (!this.#closed) {
      const view = this.#session.view();
      const token = await this.#o.tokens.getToken();
      const headers = { ...this.#headers(token, view), accept: "text/event-stream" };
      if (cursor.lastEventId !== undefined) Object.assign(headers, { "last-event-id": cursor.lastEventId });
      const sent = await this.#sendOnce({ method: "GET", headers });
      if ("response" in sent && sent.response.ok) {
        const res = sent.response;
        if (!res.body || !contentType(res).startsWith("text/event-stream")) {
          await drain(res);
          this.#o.log.debug(`no server event stream (GET answered ${res.status})`);
          return;
        }
        try {
          await readEventStream(res.body, {
            maxEventBytes: this.#maxBytes,
            onMessage: this.#o.onMessage,
            log: this.#o.log,
            cursor,
          });
        } catch (error) {
          if (this.#closed) return;
          this.#o.log.debug(`server event stream interrupted: ${(error as Error).message}`);
        }
        attempt = firstAttempt({ request: "listen", reconnectMs: cursor.retryMs });
        await sleep(cursor.retryMs, this.#abort.signal);
        continue;
      }
      try {
        attempt = await this.#recover(attempt, sent, token, view);
      } catch (error) {
        this.#o.log.debug(`no server event stream (${(error as Error).message})`);
        return;
      }
    }
  }
}

function contentType(res: Response): string {
  return (res.headers.get("content-type") ?? "").toLowerCase();
}

async function drain(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
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
