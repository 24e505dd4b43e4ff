/**
 * A loopback HTTP proxy in front of moto_server for AWS faults moto cannot produce itself (moto has no
 * throttling or outage switch). The broker's AWS SDK clients (Secrets Manager, DynamoDB) point at a
 * proxy; the proxy forwards to moto, or injects, request by request:
 *
 * - `down`: every connection is reset without an answer (the SDK sees a network error);
 * - `throttle`: every request gets AWS's `ThrottlingException` (HTTP 400, JSON 1.1 body);
 * - `fail`: every request gets `InternalServiceError` (HTTP 500);
 * - `pass`: forward to moto (the default).
 *
 * This is fault injection at the HTTP layer under the SDK, so the SDK's own retry and error
 * classification run exactly as against AWS.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with each request. */
export type AwsFaultMode = "pass" | "down" | "throttle" | "fail";

/** The running proxy. */
export interface AwsFaultProxy {
  /** `http://127.0.0.1:PORT`: use as the SDK `endpoint`. */
  url: string;
  /** Switches what the proxy does with every following request. */
  mode(mode: AwsFaultMode): void;
  /** Requests seen so far, by what the proxy did with them. */
  counts(): { forwarded: number; reset: number; throttled: number; failed: number };
  close(): Promise<void>;
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": crypto.randomUUID(),
    "x-amzn-errortype": type,
  });
  res.end(body);
}

/** Starts the proxy in front of `target` (moto's endpoint). */
export async function startAwsFaultProxy(target: string): Promise<AwsFaultProxy> {
  const upstream = new URL(target);
  let mode: AwsFaultMode = "pass";
  const counts = { forwarded: 0, reset: 0, throttled: 0, failed: 0 };

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  }

  const server = createServer((req, res) => {
    if (mode === "down") {
      counts.reset++;
      req.socket.destroy();
      return;
    }
    if (mode === "throttle") {
      counts.throttled++;
      req.resume();
      req.on("end", () => awsError(res, 400, "ThrottlingException", "Rate exceeded"));
      return;
    }
    if (mode === "fail") {
      counts.failed++;
      req.resume();
      req.on("end", () => awsError(res, 500, "InternalServiceError", "An internal error occurred."));
      return;
    }
    counts.forwarded++;
    forward(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mode: (next) => {
      mode = next;
    },
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
