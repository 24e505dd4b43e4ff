// Proxy session state: what the proxy knows about its MCP session, as one value of a discriminated
// union, and the only code that changes it. remoteMcp.ts does the HTTP; this file decides which
// session headers a message carries and how a lost session is replaced.
//
//   idle ──initialize──▶ initializing ──answered──▶ ready ──404──▶ reinitializing ──replayed──▶ ready
//                             │ failed                                  │ failed: ready (old id), so
//                             ▼                                         ▼ the next request may retry
//                           idle                                      ready
//   any state ──the client's initialize──▶ initializing        any state ──close()──▶ closed (final)
//
// The handshake (the client's own `initialize` and `notifications/initialized`) is kept so that a
// lost session can be replaced by replaying it. Transitions that no longer apply (a replacement that
// finishes after the client re-initialised, anything after `close()`) change nothing.
import type { JsonRpcMessage } from "./jsonRpc.js";

/** The client's handshake, replayed to replace a lost session. */
export interface Handshake {
  readonly initialize: JsonRpcMessage;
  readonly initialized?: JsonRpcMessage;
}

/** The session headers a message carries (`Mcp-Session-Id`, `MCP-Protocol-Version`). */
export interface SessionView {
  readonly sessionId?: string;
  readonly protocolVersion?: string;
}

export type SessionState =
  /** No `initialize` answered yet (or the last one failed): messages go without session headers. */
  | { readonly phase: "idle" }
  /** The client's `initialize` is on its way; other messages wait for it (see {@link ProxySession.turn}). */
  | { readonly phase: "initializing"; readonly handshake: Handshake }
  /** Initialised; a stateless server gives no session id. */
  | ({ readonly phase: "ready"; readonly handshake: Handshake } & SessionView)
  /** The server lost `lost` (404); the handshake is being replayed; requests wait for `done`. */
  | {
      readonly phase: "reinitializing";
      readonly handshake: Handshake;
      readonly lost: string;
      readonly done: Promise<void>;
    }
  | { readonly phase: "closed" };

/** The state of one proxy session, with its transitions. */
export class ProxySession {
  #state: SessionState = { phase: "idle" };
  #order: Promise<void> = Promise.resolve();
  #replays = 0;

  get state(): SessionState {
    return this.#state;
  }

  /** The headers a message sent now carries: the session's when ready, none otherwise. */
  view(): SessionView {
    const s = this.#state;
    if (s.phase !== "ready") return {};
    return {
      ...(s.sessionId !== undefined ? { sessionId: s.sessionId } : {}),
      ...(s.protocolVersion !== undefined ? { protocolVersion: s.protocolVersion } : {}),
    };
  }

  /**
   * Waits for the handshake messages sent before this one, then returns `release`. With
   * `handshake` true (an `initialize` or `notifications/initialized`), messages sent later wait
   * until `release()` is called, so nothing overtakes the handshake.
   */
  async turn(handshake: boolean): Promise<() => void> {
    const previous = this.#order;
    let release = () => {};
    if (handshake) this.#order = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /** Resolves once a replacement of a lost session in progress has finished (either way). */
  async settled(): Promise<void> {
    const s = this.#state;
    if (s.phase === "reinitializing") await s.done.catch(() => {});
  }

  /** The client sent `initialize`: any state but closed → initializing. */
  initializing(initialize: JsonRpcMessage): void {
    if (this.#state.phase === "closed") return;
    this.#state = { phase: "initializing", handshake: { initialize } };
  }

  /** The client's `initialize` was answered: initializing → ready. */
  initialized(view: SessionView): void {
    const s = this.#state;
    if (s.phase !== "initializing") return;
    this.#state = { phase: "ready", handshake: s.handshake, ...view };
  }

  /** The client's `initialize` failed: initializing → idle. */
  initializeFailed(): void {
    if (this.#state.phase === "initializing") this.#state = { phase: "idle" };
  }

  /** The client's `notifications/initialized` was delivered: kept in the handshake for replays. */
  handshakeCompleted(notification: JsonRpcMessage): void {
    const s = this.#state;
    if (s.phase !== "ready") return;
    this.#state = { ...s, handshake: { ...s.handshake, initialized: notification } };
  }

  /** The server answered a message with another session id: ready → ready with that id. */
  sessionIdChanged(sessionId: string): void {
    const s = this.#state;
    if (s.phase === "ready" && s.sessionId !== sessionId) this.#state = { ...s, sessionId };
  }

  /**
   * Replaces the session `lost` that the server forgot: ready → reinitializing → ready. `replay`
   * sends the handshake (the `initialize` under a fresh id, `mcp-token-reinit-<n>`) and returns
   * the new session's headers. Concurrent callers that lost the same session share one replay; a
   * caller whose session was already replaced returns at once. When the replay fails, the state
   * goes back to `lost` (so the next request may try again) and the error is thrown.
   */
  replaceLost(lost: string, replay: (handshake: Handshake) => Promise<SessionView>): Promise<void> {
    const from = this.#state;
    if (from.phase === "reinitializing" && from.lost === lost) return from.done;
    if (from.phase !== "ready" || from.sessionId !== lost) return Promise.resolve();
    const { handshake } = from;
    const replayed: Handshake = {
      initialize: { ...handshake.initialize, id: `mcp-token-reinit-${++this.#replays}` },
      ...(handshake.initialized ? { initialized: handshake.initialized } : {}),
    };
    const done = Promise.resolve()
      .then(() => replay(replayed))
      .then(
        (view) => this.#leave(reinitializing, { phase: "ready", handshake, ...view }),
        (error: unknown) => {
          this.#leave(reinitializing, from);
          throw error;
        },
      );
    const reinitializing: SessionState = { phase: "reinitializing", handshake, lost, done };
    this.#state = reinitializing;
    return done;
  }

  /** Any state → closed (final). Returns the session id to end with `DELETE`, if any. */
  close(): string | undefined {
    const s = this.#state;
    this.#state = { phase: "closed" };
    return s.phase === "ready" ? s.sessionId : undefined;
  }

  /** Moves to `to` only if nothing else moved the state since `from`. */
  #leave(from: SessionState, to: SessionState): void {
    if (this.#state === from) this.#state = to;
  }
}
