/**
 * Reading an HTTP body with a byte bound, for every body that comes from the network (broker requests,
 * issuer and broker responses, discovery documents, MCP answers). Web streams only, so it runs in
 * Lambda, the CLI and the container alike. Nothing past the bound is buffered: the stream is cancelled
 * as soon as the bound is crossed.
 */

/** Thrown when a body exceeds its byte bound. */
export class BodyTooLargeError extends Error {
  readonly code = "ERR_BODY_TOO_LARGE" as const;
  constructor(readonly limitBytes: number) {
    super(`body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a whole body, failing with {@link BodyTooLargeError} once more than `maxBytes` have arrived.
 *
 * @param body A body stream; `null` reads as empty.
 * @param maxBytes The bound, in bytes.
 */
export async function readBoundedBytes(
  body: ReadableStream<Uint8Array> | null | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
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
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const utf8 = new TextDecoder();

/**
 * Reads a body as UTF-8 text with a byte bound. For a `Response`, a declared `Content-Length` over the
 * bound fails before anything is read.
 *
 * @param source A fetch `Response`, or a body stream (`null` reads as `""`).
 * @param maxBytes The bound, in bytes.
 * @throws {BodyTooLargeError} when the body is larger than `maxBytes`.
 */
export async function readBoundedText(
  source: Response | ReadableStream<Uint8Array> | null | undefined,
  maxBytes: number,
): Promise<string> {
  let body = source as ReadableStream<Uint8Array> | null | undefined;
  if (source instanceof Response) {
    const declared = Number(source.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await source.body?.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    body = source.body;
  }
  return utf8.decode(await readBoundedBytes(body, maxBytes));
}
