/**
 * Reads an HTTP body with a byte limit, without buffering more than the limit (plus one chunk).
 */

/** Thrown when a body exceeds its byte limit. */
export class BodyTooLargeError extends Error {
  readonly code = "ERR_BODY_TOO_LARGE";
  constructor(readonly limitBytes: number) {
    super(`body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads `body` completely, failing with {@link BodyTooLargeError} as soon as more than `maxBytes`
 * have arrived (the stream is then cancelled).
 */
export async function readBodyBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const utf8 = new TextDecoder();

/** Reads `body` as UTF-8 text with a byte limit; see {@link readBodyBounded}. */
export async function readTextBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string> {
  return utf8.decode(await readBodyBounded(body, maxBytes));
}

/**
 * A broker request body as text, with the same limit: text is taken as is (its UTF-8 length counts),
 * bytes are decoded like a stream would be (a leading BOM dropped, invalid sequences replaced), a
 * stream is read with {@link readTextBounded}.
 */
export async function bodyText(
  body: string | Uint8Array | ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string> {
  if (typeof body === "string") {
    if (Buffer.byteLength(body, "utf8") > maxBytes) throw new BodyTooLargeError(maxBytes);
    return body;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) throw new BodyTooLargeError(maxBytes);
    return utf8.decode(body);
  }
  return readTextBounded(body, maxBytes);
}
