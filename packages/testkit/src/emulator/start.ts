import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { createLambdaContext } from "./context.js";
import { buildFunctionUrlEvent, newRequestId, newUrlId, traceId } from "./event.js";
import type { LocalIdentity } from "./identities.js";
import { functionError, type MappedResponse, mapResult } from "./response.js";
import { verifySigV4 } from "./sigv4.js";

/** Lambda's synchronous invocation payload limit (6 MB). */
export const LAMBDA_MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface FunctionUrlEmulatorOptions {
  /** The function: any `(event, context) => result`, sync or async. */
  handler: (event: LambdaFunctionURLEventWithIAMAuthorizer, context: Context) => Promise<unknown> | unknown;
  /** Principals whose SigV4 signatures are accepted. */
  identities: LocalIdentity[];
  /** Region requests must be signed for; default "us-west-2". */
  region?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Request body limit in bytes; default 6 MB (6291456). Larger → 413. */
  maxBodyBytes?: number;
  /** Clock for the ±5 minute signature window and event times (epoch ms). Default `Date`. */
  clock?: { now(): number };
  /** Default "mcp-token-broker". */
  functionName?: string;
  /** Function owner's account (`requestContext.accountId`, function ARN); default "123456789012". */
  accountId?: string;
  /** Function timeout for `context.getRemainingTimeInMillis()`, in ms; default 30000 (not enforced). */
  timeoutMs?: number;
}

export interface FunctionUrlEmulator {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  url: string;
  region: string;
  /** Number of handler invocations so far (rejected requests never count). */
  invocations(): number;
  close(): Promise<void>;
}

function send(res: ServerResponse, mapped: MappedResponse, extra: [string, string][]): void {
  const headers: [string, string][] = [
    ...mapped.headers,
    ...extra,
    ["content-length", String(mapped.body.length)],
  ];
  res.writeHead(mapped.status, headers.flat());
  res.end(mapped.body);
}

function jsonResponse(status: number, body: unknown, errorType?: string): MappedResponse {
  return {
    status,
    headers: [
      ["content-type", "application/json"],
      ...(errorType ? ([["x-amzn-errortype", errorType]] as [string, string][]) : []),
    ],
    body: Buffer.from(JSON.stringify(body)),
  };
}

/**
 * Start an HTTP server that behaves like a Lambda Function URL with `AuthType AWS_IAM`: it verifies
 * SigV4 against `identities` (403 with AWS's bodies otherwise, and the handler is not invoked), builds
 * the payload-format-2.0 event with `requestContext.authorizer.iam`, invokes the handler with a
 * Lambda-like context and maps its result to HTTP as Lambda does. Thrown errors → 502.
 *
 * @example
 * const ids = defaultIdentities();
 * const fn = await startFunctionUrlEmulator({ handler: (e) => ({ arn: e.requestContext.authorizer.iam.userArn }),
 *   identities: Object.values(ids) });
 * // sign requests to fn.url with service "lambda", region fn.region
 * await fn.close();
 */
export async function startFunctionUrlEmulator(
  opts: FunctionUrlEmulatorOptions,
): Promise<FunctionUrlEmulator> {
  if (typeof opts.handler !== "function") throw new TypeError('"handler" must be a function');
  const region = opts.region ?? "us-west-2";
  const clock = opts.clock ?? Date;
  const maxBodyBytes = opts.maxBodyBytes ?? LAMBDA_MAX_BODY_BYTES;
  const functionName = opts.functionName ?? "mcp-token-broker";
  const accountId = opts.accountId ?? "123456789012";
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const urlId = newUrlId();
  const byKey = new Map<string, LocalIdentity>();
  for (const [i, id] of opts.identities.entries()) {
    if (byKey.has(id.accessKeyId)) throw new TypeError(`"identities[${i}].accessKeyId" is a duplicate`);
    byKey.set(id.accessKeyId, id);
  }
  let invocations = 0;
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const trace = traceId(clock.now());
    const extra: [string, string][] = [
      ["x-amzn-requestid", requestId],
      ["x-amzn-trace-id", trace],
    ];
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      const mapped = jsonResponse(
        413,
        { Message: `Request must be smaller than ${maxBodyBytes} bytes for the InvokeFunction operation` },
        "RequestTooLargeException",
      );
      send(res, mapped, [...extra, ["connection", "close"]]);
      return;
    }
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const verdict = verifySigV4(
      { method, url, rawHeaders: req.rawHeaders, body },
      byKey,
      region,
      clock.now(),
    );
    if (!verdict.ok) {
      send(res, jsonResponse(verdict.status, verdict.body, verdict.errorType), extra);
      return;
    }
    const nowMs = clock.now();
    const event = buildFunctionUrlEvent({
      method,
      url,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      identity: verdict.identity,
      nowMs,
      requestId,
      traceId: trace,
      accountId,
      urlId,
      region,
      forwardedPort: port,
    });
    const context = createLambdaContext({
      functionName,
      region,
      accountId,
      awsRequestId: requestId,
      timeoutMs,
      memoryLimitInMB: 128,
      clock,
    });
    invocations++;
    let mapped: MappedResponse;
    try {
      mapped = mapResult(await opts.handler(event, context));
    } catch {
      mapped = functionError();
    }
    send(res, mapped, extra);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, functionError(), []);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    region,
    invocations: () => invocations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
