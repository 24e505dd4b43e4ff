import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { LocalIdentity } from "../../src/index.js";

/** node:crypto SHA-256 / HMAC in the shape @smithy/signature-v4 expects. */
class Sha256 {
  readonly #h: Hash | Hmac;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.#h = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
}

function toBuffer(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export interface SignedFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  region?: string;
  signingDate?: Date;
}

/** Sign a request to `url` with @smithy/signature-v4 (what the AWS SDK uses) and send it with fetch. */
export async function smithyFetch(url: string, identity: LocalIdentity, opts: SignedFetchOptions = {}) {
  const headers = await smithySignHeaders(url, identity, opts);
  return fetch(url, {
    method: opts.method ?? "GET",
    headers,
    ...(opts.body !== undefined
      ? { body: typeof opts.body === "string" ? opts.body : new Uint8Array(opts.body) }
      : {}),
  });
}

/** The headers @smithy/signature-v4 adds (Authorization, X-Amz-Date, …) plus the given ones, without `host`. */
export async function smithySignHeaders(
  url: string,
  identity: LocalIdentity,
  opts: SignedFetchOptions = {},
): Promise<Record<string, string>> {
  const u = new URL(url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of u.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    service: "lambda",
    region: opts.region ?? "us-west-2",
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: opts.method ?? "GET",
      protocol: u.protocol,
      hostname: u.hostname,
      port: Number(u.port),
      path: decodeURIComponent(u.pathname),
      query,
      headers: { host: u.host, ...(opts.headers ?? {}) },
      body: opts.body,
    },
    opts.signingDate ? { signingDate: opts.signingDate } : {},
  );
  const headers = { ...signed.headers };
  delete headers.host;
  return headers;
}
