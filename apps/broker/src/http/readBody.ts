/**
 * The broker's request body as text, within the request byte limit. Bounded stream reading itself is
 * core's `readBoundedText`, shared with every other network input.
 */
import { BodyTooLargeError, readBoundedText } from "@mcp-token/core";

export { BodyTooLargeError };

const utf8 = new TextDecoder();

/**
 * A broker request body as text, with the same limit: text is taken as is (its UTF-8 length counts),
 * bytes are decoded like a stream would be (a leading BOM dropped, invalid sequences replaced), a
 * stream is read with core's `readBoundedText`.
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
  return readBoundedText(body, maxBytes);
}
