/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/** Thrown when one event's data exceeds the bound. */
export class SseEventTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`server-sent event exceeds ${limitBytes} bytes`);
    this.name = "SseEventTooLargeError";
  }
}

/**
 * Parses a `text/event-stream` body (WHATWG HTML §9.2) into events, holding at most `maxEventBytes`
 * of one event (and of one unterminated line) in memory.
 */
export async function* parseSse(
  body: ReadableStream<Uint8Array>,
  maxEventBytes: number,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  let data: string[] = [];
  let dataBytes = 0;
  let event = "";
  let id: string | undefined;
  let retry: number | undefined;
  let first = true;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
        if (match[0] === "\r" && match.index === buffer.length - 1 && !done) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === "") {
          if (data.length > 0) {
            yield {
              event: event || "message",
              data: data.join("\n"),
              ...(id !== undefined ? { id } : {}),
              ...(retry !== undefined ? { retry } : {}),
            };
          }
          data = [];
          dataBytes = 0;
          event = "";
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? "" : line.slice(colon + 1);
        if (fieldValue.startsWith(" ")) fieldValue = fieldValue.slice(1);
        if (field === "data") {
          dataBytes += fieldValue.length + 1;
          if (dataBytes > maxEventBytes) throw new SseEventTooLargeError(maxEventBytes);
          data.push(fieldValue);
        } else if (field === "event") {
          event = fieldValue;
        } else if (field === "id") {
          if (!fieldValue.includes("\0")) id = fieldValue;
        } else if (field === "retry") {
          if (/^\d+$/.test(fieldValue)) retry = Number(fieldValue);
        }
      }
      if (buffer.length > maxEventBytes) throw new SseEventTooLargeError(maxEventBytes);
      if (done) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
