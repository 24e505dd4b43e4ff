import { request } from "node:http";
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultIdentities, type FunctionUrlEmulator, startFunctionUrlEmulator } from "../../src/index.js";
import { smithyFetch, smithySignHeaders } from "../helpers/smithySign.js";

const ids = defaultIdentities();

describe("startFunctionUrlEmulator: event, context and response mapping", () => {
  let fn: FunctionUrlEmulator;
  let last: { event: LambdaFunctionURLEventWithIAMAuthorizer; context: Context } | undefined;
  let reply: (event: LambdaFunctionURLEventWithIAMAuthorizer) => unknown = () => ({ statusCode: 204 });
  const fixedNow = Date.UTC(2026, 2, 12, 19, 3, 58, 123);

  beforeAll(async () => {
    fn = await startFunctionUrlEmulator({
      identities: Object.values(ids),
      functionName: "broker",
      accountId: "999988887777",
      maxBodyBytes: 1024,
      clock: { now: () => fixedNow },
      handler: (event, context) => {
        last = { event, context };
        return reply(event);
      },
    });
  });
  afterAll(() => fn.close());
  beforeEach(() => {
    last = undefined;
    reply = () => ({ statusCode: 204 });
  });

  const send = (path: string, opts: Parameters<typeof smithyFetch>[2] = {}) =>
    smithyFetch(`${fn.url}${path}`, ids.developer, { signingDate: new Date(fixedNow), ...opts });

  it("builds a payload-format-2.0 event like a Function URL", async () => {
    // Act
    const res = await send("/token?b=2&a=1&a=3", {
      method: "POST",
      body: '{"audience":"x"}',
      headers: {
        "content-type": "application/json",
        cookie: "a=1; b=2",
        "x-multi": "one",
        "user-agent": "mcp-token/1.0",
      },
    });
    // Assess
    expect(res.status).toBe(204);
    const event = last?.event;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/token",
      rawQueryString: "b=2&a=1&a=3",
      cookies: ["a=1", "b=2"],
      queryStringParameters: { a: "1,3", b: "2" },
      body: '{"audience":"x"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: "999988887777",
        http: {
          method: "POST",
          path: "/token",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "mcp-token/1.0",
        },
        routeKey: "$default",
        stage: "$default",
        time: "12/Mar/2026:19:03:58 +0000",
        timeEpoch: fixedNow,
        authorizer: { iam: { accessKey: ids.developer.accessKeyId, userArn: ids.developer.principalArn } },
      },
    });
    const ctx = event?.requestContext;
    expect(ctx?.apiId).toMatch(/^[a-z0-9]{32}$/);
    expect(ctx?.domainPrefix).toBe(ctx?.apiId);
    expect(ctx?.domainName).toBe(`${ctx?.apiId}.lambda-url.us-west-2.on.aws`);
    expect(ctx?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-amzn-requestid")).toBe(ctx?.requestId);
    expect(event?.headers["content-type"]).toBe("application/json");
    expect(event?.headers["x-multi"]).toBe("one");
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Object.keys(event?.headers ?? {}).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it("comma-joins repeated headers and leaves out body, query and cookies when absent", async () => {
    // Prepare: fetch would merge repeated headers itself, so send raw with node:http.
    const headers = await smithySignHeaders(`${fn.url}/plain`, ids.developer, {
      signingDate: new Date(fixedNow),
    });
    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${fn.url}/plain`, { method: "GET" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      for (const [k, v] of Object.entries(headers)) req.setHeader(k, v);
      req.setHeader("x-multi", ["one", "two"]);
      req.on("error", reject);
      req.end();
    });
    // Assess
    expect(status).toBe(204);
    expect(last?.event.headers["x-multi"]).toBe("one,two");
    expect(last?.event.body).toBeUndefined();
    expect(last?.event.isBase64Encoded).toBe(false);
    expect(last?.event.queryStringParameters).toBeUndefined();
    expect(last?.event.cookies).toBeUndefined();
  });

  it("base64-encodes non-text bodies", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await send("/bin", {
      method: "PUT",
      body: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(last?.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(last?.event.body ?? "", "base64")).toEqual(bytes);
  });

  it("passes a Lambda-like context", async () => {
    await send("/ctx");
    const context = last?.context;
    expect(context).toMatchObject({
      functionName: "broker",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-west-2:999988887777:function:broker",
      awsRequestId: last?.event.requestContext.requestId,
      logGroupName: "/aws/lambda/broker",
    });
    expect(context?.getRemainingTimeInMillis()).toBe(30_000);
  });

  it("maps a structured result: status, headers, cookies, base64 body", async () => {
    reply = () => ({
      statusCode: 201,
      headers: { "X-Custom": "yes", "content-type": "text/plain" },
      cookies: ["s=1; HttpOnly", "t=2"],
      body: Buffer.from("hello").toString("base64"),
      isBase64Encoded: true,
    });
    const res = await send("/structured");
    expect(res.status).toBe(201);
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.getSetCookie()).toEqual(["s=1; HttpOnly", "t=2"]);
    expect(await res.text()).toBe("hello");
  });

  it("maps a bare value to 200 application/json", async () => {
    reply = () => ({ ok: true });
    const res = await send("/bare");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("answers 502 when the handler throws or returns an invalid status", async () => {
    reply = () => {
      throw new Error("boom with secret details");
    };
    const thrown = await send("/throw");
    expect(thrown.status).toBe(502);
    expect(await thrown.json()).toEqual({ Message: "Internal Server Error" });
    reply = () => ({ statusCode: "nope" });
    expect((await send("/bad")).status).toBe(502);
    reply = () => "x".repeat(6 * 1024 * 1024 + 1); // over Lambda's 6 MB response limit
    expect((await send("/huge")).status).toBe(502);
  });

  it("answers 413 for a body over the limit without invoking the handler", async () => {
    const before = fn.invocations();
    const res = await send("/big", {
      method: "POST",
      body: "x".repeat(1025),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      Message: "Request must be smaller than 1024 bytes for the InvokeFunction operation",
    });
    expect(fn.invocations()).toBe(before);
  });
});
