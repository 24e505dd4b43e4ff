// Server messages out of a response: the one reader of JSON-RPC over `text/event-stream`, used both
// for a POST's SSE answer and for the GET stream of server-initiated messages.
import type { Logger } from "../output/logger.js";
import { isJsonRpcMessage, type JsonRpcMessage } from "./jsonRpc.js";
import { parseSse } from "./sse.js";

/** Where an event stream left off: what a reconnection sends and waits. */
export interface StreamCursor {
  /** The last event id seen (sent back as `Last-Event-ID`). */
  lastEventId?: string;
  /** The server's reconnection delay (`retry`), clamped to 100 ms…60 s. */
  retryMs: number;
}

export interface ReadEventStreamOptions {
  /** Largest event accepted, in bytes. */
  maxEventBytes: number;
  onMessage(message: JsonRpcMessage): void;
  log: Pick<Logger, "warn">;
  /** Updated as events arrive. */
  cursor?: StreamCursor;
  /** Checked after each event: `true` stops reading (a POST's answer is complete). */
  isComplete?(): boolean;
}

/**
 * Reads `message` events of an SSE body, delivering every JSON-RPC message in them (an event may
 * hold a batch) until the stream ends or `isComplete()` says so. Events that are not JSON, and
 * values that are not JSON-RPC 2.0, are dropped with a warning. Throws on a broken stream or an
 * event over the bound.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  opts: ReadEventStreamOptions,
): Promise<void> {
  const { cursor } = opts;
  for await (const event of parseSse(body, opts.maxEventBytes)) {
    if (cursor && event.id !== undefined) cursor.lastEventId = event.id;
    if (cursor && event.retry !== undefined) cursor.retryMs = Math.min(Math.max(event.retry, 100), 60_000);
    if (event.event !== "message" || event.data === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      opts.log.warn("dropped a server-sent event that is not JSON");
      continue;
    }
    deliverMessages(value, opts.onMessage, opts.log);
    if (opts.isComplete?.()) return;
  }
}

/** Delivers a parsed JSON value (one message or a batch), dropping what is not JSON-RPC 2.0. */
export function deliverMessages(
  value: unknown,
  onMessage: (message: JsonRpcMessage) => void,
  log: Pick<Logger, "warn">,
): void {
  for (const m of Array.isArray(value) ? value : [value]) {
    if (isJsonRpcMessage(m)) onMessage(m);
    else log.warn("dropped a server message that is not JSON-RPC 2.0");
  }
}
