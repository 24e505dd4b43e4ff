/**
 * The one adapter between `node:http` and the web-standard core: bounded body reading, `Request`
 * construction, and `Response` writing with backpressure (JSON and SSE alike).
 *
 * Why not `toNodeHandler`/`toWebRequest` from `@modelcontextprotocol/node`: they build the request URL
 * from the client's `Host` header (a hostile value makes `new Request` throw before auth runs) and
 * decode the body as text; this adapter keeps a fixed origin, stays binary-safe, and lets `server.ts`
 * log auth outcomes and drain in-flight requests on SIGTERM. The SDK's host/origin guards are used.
 */
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Reads a request body, or returns `undefined` as soon as it exceeds `maxBytes`. */
export async function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(buf);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/**
 * A web `Request` for a node request whose body was already read. The URL's origin is a fixed
 * placeholder (`http://localhost`): routing uses only the path; the public origin is derived from
 * headers by the core.
 */
export function toWebRequest(req: IncomingMessage, body: Buffer | undefined, signal?: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const target = req.url ?? "/";
  const url =
    target.startsWith("/") && !target.startsWith("//") ? `http://localhost${target}` : "http://localhost/";
  const init: RequestInit = { method: req.method ?? "GET", headers };
  if (signal) init.signal = signal;
  if (body !== undefined && init.method !== "GET" && init.method !== "HEAD")
    init.body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>;
  return new Request(url, init);
}

/** Writes a web `Response` to a node response, honouring backpressure; cancels the body if the client leaves. */
export async function writeWebResponse(
  res: ServerResponse,
  response: Response,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  Object.assign(headers, extraHeaders);
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      if (!res.write(value)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
  } finally {
    res.off("close", onClose);
    if (!res.destroyed) res.end();
  }
}
