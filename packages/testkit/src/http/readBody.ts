import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { BodyTooLargeError, readBoundedBytes } from "@mcp-token/core";

export { BodyTooLargeError };

/**
 * Read a Node request body completely with core's bounded reader, failing fast with core's
 * `BodyTooLargeError` when `content-length` already announces more than `limitBytes`, or once more
 * than that arrived. The rest of an over-size body is not read.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const announced = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(announced) && announced > limitBytes) throw new BodyTooLargeError(limitBytes);
  const bytes = await readBoundedBytes(
    Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>,
    limitBytes,
  );
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
