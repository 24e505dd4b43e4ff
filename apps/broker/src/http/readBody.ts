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

/** Reads `body` as UTF-8 text with a byte limit; see {@link readBodyBounded}. */
export async function readTextBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string> {
  return new TextDecoder().decode(await readBodyBounded(body, maxBytes));
}
