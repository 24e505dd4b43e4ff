// Proxy retry policy: what the proxy does after one attempt at an HTTP exchange with the MCP server
// failed. `decideRetry` is a pure function of what was already tried (an `Attempt`) and what the
// attempt got back; remoteMcp.ts carries the decision out. test/mcp/retryPolicy.test.ts has a row per
// rule. Rules, first match wins ("POST" is a client message, "GET" the stream for server messages):
//
//  1. Connection refused (nothing reached the server, e.g. it is restarting): POST retries after
//     200, 400, 800, 1600 ms, then fails.
//  2. Any other network error (reset, dropped: the message's fate is unknown): POST resends once,
//     within rule 1's four retries, and only a resendable message (see `isResendable`).
//     GET (safe by definition) reconnects after any network error, up to 5 times with exponential
//     backoff from the server's `retry` interval.
//  3. 401 or 403: drop the rejected token, fetch another and retry, once; then fail.
//  4. 404 to a POST that carried a session id, where re-initialising is allowed (not for an
//     `initialize`, and never for the replay of the handshake itself): re-initialise, once; then fail.
//  5. 429 (the server refused to process the message, so sending it again cannot do anything twice):
//     retry once after `Retry-After` (seconds or an HTTP-date, parsed by core; default 1 s) if the
//     server asks for at most 5 s; otherwise fail at once rather than keep the host waiting.
//  6. 503 (a draining or overloaded server, which may have begun the work): like 429 (default
//     500 ms) for a resendable message; otherwise fail.
//  7. Anything else: fail.
//
// Every rule spends its own budget, so one message is sent at most MAX_SENDS times.
import { parseRetryAfter } from "@mcp-token/core";
import { isConnectionRefused, networkCode } from "./errors.js";
import { isRequest, type JsonRpcMessage } from "./jsonRpc.js";

/** Delays before resending a POST whose connection failed (rule 1), in milliseconds. */
export const CONNECT_RETRY_DELAYS_MS: readonly number[] = [200, 400, 800, 1600];
/** Reconnections of the GET stream after network errors (rule 2). */
export const LISTEN_RECONNECTS = 5;
/** Longest `Retry-After` the proxy waits for (rules 5 and 6), in milliseconds. */
export const MAX_RETRY_WAIT_MS = 5_000;
/**
 * Most sends of one message the rules allow. POST: the first, 4 network retries, a token refresh, a
 * re-initialisation and a wait. GET: the first, 5 reconnections, a token refresh and a wait.
 */
export const MAX_SENDS = 8;

const DEFAULT_WAIT_MS = { 429: 1000, 503: 500 } as const;

/** What was already tried for one message (or one connection of the GET stream). Immutable. */
export interface Attempt {
  readonly request: "post" | "listen";
  /** Sending it twice cannot do anything twice (see {@link isResendable}); always true for GET. */
  readonly resendable: boolean;
  /** A lost session may be replaced for it (rule 4). */
  readonly mayReinitialize: boolean;
  /** GET: the first reconnection delay (the server's `retry`), in milliseconds. */
  readonly reconnectMs: number;
  /** Network-error retries used (rules 1 and 2). */
  readonly networkRetries: number;
  /** The one resend of unknown fate used (rule 2). */
  readonly resent: boolean;
  readonly tokenRefreshed: boolean;
  readonly reinitialized: boolean;
  /** The one wait a 429 or 503 may ask for used (rules 5 and 6). */
  readonly waited: boolean;
}

/** The first attempt of an exchange: nothing spent yet. */
export function firstAttempt(opts: {
  request: "post" | "listen";
  resendable?: boolean;
  mayReinitialize?: boolean;
  reconnectMs?: number;
}): Attempt {
  return {
    request: opts.request,
    resendable: opts.request === "listen" || opts.resendable === true,
    mayReinitialize: opts.request === "post" && opts.mayReinitialize === true,
    reconnectMs: opts.reconnectMs ?? 1000,
    networkRetries: 0,
    resent: false,
    tokenRefreshed: false,
    reinitialized: false,
    waited: false,
  };
}

/** What one attempt got back: an HTTP status (and whether it carried a session id), or a `fetch` error. */
export type AttemptOutcome =
  | { status: number; headers: { get(name: string): string | null }; sentSession: boolean }
  | { error: unknown };

/** What to do next. `reason` is for the log (it never contains a token). */
export type RetryDecision =
  | { action: "retry"; delayMs: number; reason: string; next: Attempt }
  | { action: "refresh-token"; reason: string; next: Attempt }
  | { action: "reinitialize"; reason: string; next: Attempt }
  | { action: "fail"; reason: string };

/**
 * Decides what follows a failed attempt (the rules in this file's header).
 *
 * @param attempt What was already tried.
 * @param outcome What this attempt got back.
 * @param nowMs Current time, epoch milliseconds (for an HTTP-date `Retry-After`).
 */
export function decideRetry(attempt: Attempt, outcome: AttemptOutcome, nowMs: number): RetryDecision {
  if ("error" in outcome) return afterNetworkError(attempt, outcome.error);
  const { status } = outcome;
  if (status === 401 || status === 403) {
    if (attempt.tokenRefreshed) return { action: "fail", reason: `${status} again after a token refresh` };
    return {
      action: "refresh-token",
      reason: `MCP server answered ${status}; refreshing the token and retrying once`,
      next: { ...attempt, tokenRefreshed: true },
    };
  }
  if (status === 404 && outcome.sentSession && attempt.mayReinitialize) {
    if (attempt.reinitialized) return { action: "fail", reason: "session lost again after re-initialising" };
    return {
      action: "reinitialize",
      reason: "MCP session expired (404); re-initialising and retrying once",
      next: { ...attempt, reinitialized: true },
    };
  }
  if (status === 429 || status === 503) {
    if (status === 503 && !attempt.resendable) {
      return { action: "fail", reason: "503 for a message that is not safe to send twice" };
    }
    if (attempt.waited) return { action: "fail", reason: `${status} again after waiting once` };
    const asked = parseRetryAfter(outcome.headers.get("retry-after"), nowMs);
    const delayMs = asked ?? DEFAULT_WAIT_MS[status];
    if (delayMs > MAX_RETRY_WAIT_MS) {
      return { action: "fail", reason: `${status} with Retry-After ${Math.ceil(delayMs / 1000)} s` };
    }
    return {
      action: "retry",
      delayMs,
      reason: `MCP server answered ${status}; retrying in ${delayMs} ms`,
      next: { ...attempt, waited: true },
    };
  }
  return { action: "fail", reason: `HTTP ${status}` };
}

function afterNetworkError(attempt: Attempt, error: unknown): RetryDecision {
  const code = networkCode(error);
  if (attempt.request === "listen") {
    if (attempt.networkRetries >= LISTEN_RECONNECTS) {
      return { action: "fail", reason: `${code} after ${LISTEN_RECONNECTS} reconnections` };
    }
    const delayMs = attempt.reconnectMs * 2 ** attempt.networkRetries;
    return {
      action: "retry",
      delayMs,
      reason: `server event stream: ${code}; reconnecting in ${delayMs} ms`,
      next: { ...attempt, networkRetries: attempt.networkRetries + 1 },
    };
  }
  const delayMs = CONNECT_RETRY_DELAYS_MS[attempt.networkRetries];
  if (delayMs === undefined)
    return { action: "fail", reason: `${code} after ${attempt.networkRetries} retries` };
  if (isConnectionRefused(error)) {
    return {
      action: "retry",
      delayMs,
      reason: `${code}; retrying in ${delayMs} ms`,
      next: { ...attempt, networkRetries: attempt.networkRetries + 1 },
    };
  }
  if (!attempt.resendable) return { action: "fail", reason: `${code}; not safe to send twice` };
  if (attempt.resent) return { action: "fail", reason: `${code} after one resend` };
  return {
    action: "retry",
    delayMs,
    reason: `${code}; resending once in ${delayMs} ms`,
    next: { ...attempt, networkRetries: attempt.networkRetries + 1, resent: true },
  };
}

/**
 * Methods that change nothing on the server, so resending one whose fate is unknown (the connection
 * dropped mid-request, a draining server answered 503) cannot do anything twice.
 */
export const SAFE_METHODS: ReadonlySet<string> = new Set([
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

/**
 * Whether every request in a message (or batch) may be sent twice: a method in {@link SAFE_METHODS},
 * or a `tools/call` of a tool in `safeTools` (those declared `readOnlyHint` or `idempotentHint`).
 * Notifications and responses alone are resendable.
 */
export function isResendable(messages: readonly JsonRpcMessage[], safeTools: ReadonlySet<string>): boolean {
  return messages.filter(isRequest).every((m) => {
    if (SAFE_METHODS.has(m.method as string)) return true;
    const tool = (m.params as { name?: unknown } | undefined)?.name;
    return m.method === "tools/call" && typeof tool === "string" && safeTools.has(tool);
  });
}

/**
 * Learns from a `tools/list` result which tools are safe to resend: adds those annotated
 * `readOnlyHint` or `idempotentHint`, and removes any listed without (a server may change its mind).
 */
export function learnResendableTools(result: unknown, safeTools: Set<string>): void {
  const tools = (result as { tools?: unknown } | undefined)?.tools;
  if (!Array.isArray(tools)) return;
  for (const tool of tools as {
    name?: unknown;
    annotations?: { readOnlyHint?: unknown; idempotentHint?: unknown };
  }[]) {
    if (typeof tool?.name !== "string") continue;
    if (tool.annotations?.readOnlyHint === true || tool.annotations?.idempotentHint === true)
      safeTools.add(tool.name);
    else safeTools.delete(tool.name);
  }
}
