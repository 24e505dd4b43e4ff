/**
 * MCP server HTTP and JSON-RPC fuzzing: the server's web-standard core (`createMcpServerApp`, `jwt`
 * mode, real tokens from the testkit issuer) driven in-process with generated requests: methods,
 * paths, headers (Accept, Content-Type, protocol version, session ids) and bodies (JSON-RPC requests,
 * notifications, responses and batches with mutated fields, arbitrary JSON, non-JSON, invalid UTF-8,
 * deep nesting, large payloads).
 *
 * Properties: `handle` resolves for every case; no 5xx; a 4xx carries a JSON error body (JSON-RPC
 * error, or `{error, error_description}` for unknown routes); heap bounded; healthy afterwards.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { type McpAppFixture, startMcpApp } from "../../src/fuzz/mcpApp.js";
import { fuzzParameters } from "../../src/fuzz/params.js";
import { heapAfterGc, mib } from "../../src/stats/heap.js";
import { Histogram } from "../../src/stats/histogram.js";

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 10_000);
const audit = new LeakAudit("fuzz-mcp-server");
let fx: McpAppFixture;
const statuses = new Histogram();
const outcomes = new Histogram();
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  fx = await startMcpApp(audit);
});

afterAll(async () => {
  await fx?.close();
  const scan = audit.scan();
  writeResult("fuzz-mcp-server", "fuzz", "test/fuzz/mcpServer.test.ts", {
    surface: "MCP server HTTP + JSON-RPC bodies (in-process app.handle, jwt mode)",
    ...figures,
    statuses: statuses.toJSON(),
    outcomes: outcomes.toJSON(),
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

// ---- generators -------------------------------------------------------------------------------

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }));
const id = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(null, 0, -1, 1.5, true, "", [], {}, 2 ** 53, "x".repeat(2000)),
);
const rpcMethod = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom("initialize", "tools/list", "tools/call", "ping", "notifications/initialized"),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "resources/list",
      "prompts/list",
      "completion/complete",
      "logging/setLevel",
      "notifications/cancelled",
      "server/discover",
      "",
      "rpc.discover",
    ),
  },
  { weight: 1, arbitrary: text },
);
const toolArgs = fc.oneof(
  fc.record({
    a: fc.oneof(fc.double(), fc.integer(), text, fc.constant(null)),
    b: fc.oneof(fc.double(), fc.integer(), text),
  }),
  fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(null, [], "x", 1),
);
const params = fc.oneof(
  { weight: 1, arbitrary: fc.constant({}) },
  fc.record(
    {
      protocolVersion: fc.constantFrom(
        "2025-06-18",
        "2025-03-26",
        "2024-11-05",
        "2026-07-28",
        "1999-01-01",
        "",
        "x",
      ),
      capabilities: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
      clientInfo: fc.oneof(fc.record({ name: text, version: text }), fc.jsonValue({ maxDepth: 1 })),
      name: fc.constantFrom("add", "whoami", "nope", ""),
      arguments: toolArgs,
      _meta: fc.oneof(
        fc.dictionary(text, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const wellFormed = fc
  .record({
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.nat(), fc.string({ maxLength: 10 })),
    method: rpcMethod,
    params,
  })
  .map((m) =>
    m.method.startsWith("notifications/") ? { jsonrpc: m.jsonrpc, method: m.method, params: m.params } : m,
  );
const anyShape = fc
  .record(
    {
      jsonrpc: fc.oneof(
        { weight: 8, arbitrary: fc.constant("2.0") },
        { weight: 1, arbitrary: fc.constantFrom("1.0", 2, null, "") },
      ),
      id,
      method: rpcMethod,
      params,
      result: fc.jsonValue({ maxDepth: 2 }),
      error: fc.record({ code: fc.integer(), message: text }),
    },
    { requiredKeys: [] },
  )
  .map((m) => m as Record<string, unknown>);
const message = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: anyShape });
const deep = fc.integer({ min: 100, max: 20_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);
const body = fc.oneof(
  { weight: 8, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.array(message, { maxLength: 5 }).map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "[]", "null", '{"jsonrpc":"2.0"', "\u0000", "\uFEFF{}") },
  { weight: 1, arbitrary: deep },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1000, max: 300_000 }).map((n) =>
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "add", arguments: { a: 1, b: "x".repeat(n) } },
      }),
    ),
  },
);
const rawBytes = fc.uint8Array({ maxLength: 100 });
const accept = fc.oneof(
  { weight: 8, arbitrary: fc.constant("application/json, text/event-stream") },
  fc.constantFrom(
    "application/json, text/event-stream",
    "application/json",
    "text/event-stream",
    "*/*",
    "",
    "text/html",
    "application/json;q=0, text/event-stream;q=0",
  ),
  text,
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant("application/json") },
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin1",
  ),
  text,
);
const method = fc.oneof(
  { weight: 14, arbitrary: fc.constant("POST") },
  { weight: 2, arbitrary: fc.constantFrom("GET", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD") },
);
const path = fc.oneof(
  { weight: 14, arbitrary: fc.constant("/mcp") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "/",
      "/ping",
      "/mcp/",
      "/MCP",
      "/mcp/../ping",
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
      "/%2e%2e/mcp",
      "/invocations",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 40 }).map((s) => `/${encodeURIComponent(s)}`),
  },
);
const headerValue = fc
  .string({ unit: "grapheme-ascii", maxLength: 60 })
  .map((s) => s.replace(/[\r\n\0]/g, ""));
const extraHeaders = fc.record(
  {
    "mcp-protocol-version": fc.oneof(
      fc.constantFrom("2025-06-18", "2025-03-26", "2026-07-28", "bogus", ""),
      headerValue,
    ),
    "mcp-session-id": fc.oneof(fc.uuid(), headerValue, fc.constant("x".repeat(5000))),
    "x-amzn-bedrock-agentcore-runtime-session-id": headerValue,
    "last-event-id": headerValue,
    host: fc.constantFrom("127.0.0.1:8000", "evil.example.com", "[::1]:1", "a b", ""),
    "x-forwarded-proto": fc.constantFrom("https", "http", "gopher"),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  method,
  path,
  accept,
  contentType,
  body: fc.oneof(
    { weight: 12, arbitrary: body.map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: rawBytes.map((b) => Buffer.from(b)) },
  ),
  headers: extraHeaders,
});

function toRequest(r: RequestParts, token: string): Request {
  const headers = new Headers();
  const set = (k: string, v: string) => {
    try {
      headers.set(k, v);
    } catch {
      // not a valid header value on the wire either
    }
  };
  set("authorization", `Bearer ${token}`);
  set("accept", r.accept);
  set("content-type", r.contentType);
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) set(k, v);
  const hasBody = r.method !== "GET" && r.method !== "HEAD";
  return new Request(`http://127.0.0.1:8000${r.path}`, {
    method: r.method,
    headers,
    ...(hasBody ? { body: new Uint8Array(r.body) } : {}),
  });
}

type RequestParts = {
  method: string;
  path: string;
  accept: string;
  contentType: string;
  body: Buffer;
  headers: Partial<Record<string, string>>;
};

async function check(r: RequestParts): Promise<void> {
  // The server's node adapter enforces MAX_BODY_BYTES before the core; the core sees bounded bodies.
  if (r.body.length > fx.app.config.maxBodyBytes) {
    outcomes.add("over body limit (node adapter answers 413)");
    return;
  }
  const handled = await fx.app.handle(toRequest(r, fx.token));
  const res = handled.response;
  statuses.add(res.status);
  const text = await res.text();
  if (res.status >= 500) throw new Error(`5xx for a client request: ${res.status} ${text.slice(0, 300)}`);
  const type = res.headers.get("content-type") ?? "";
  if (res.status >= 400) {
    let json: { error?: unknown };
    try {
      json = JSON.parse(text) as { error?: unknown };
    } catch {
      throw new Error(`${res.status} without a JSON body: ${text.slice(0, 200)}`);
    }
    const rpc = json.error as { code?: unknown; message?: unknown } | undefined;
    const documented =
      (typeof rpc === "object" &&
        rpc !== null &&
        typeof rpc.code === "number" &&
        typeof rpc.message === "string") ||
      typeof json.error === "string";
    if (!documented) throw new Error(`${res.status} with an undocumented body: ${text.slice(0, 200)}`);
    outcomes.add(
      `${res.status} ${typeof rpc === "object" && rpc !== null ? `rpc ${String(rpc.code)}` : String(json.error)}`,
    );
    return;
  }
  if (res.status === 200 && text.length > 0 && !/json|event-stream/.test(type)) {
    throw new Error(`200 with content-type ${type}`);
  }
  outcomes.add(`${res.status} ${type.split(";")[0] || "empty"}`);
}

describe("MCP server HTTP and JSON-RPC fuzzing", () => {
  it(`answers ${RUNS} generated requests without a crash, a 5xx or an undocumented error body`, async () => {
    // Prepare
    for (let i = 0; i < 100; i++) {
      await check({
        method: "POST",
        path: "/mcp",
        accept: "application/json, text/event-stream",
        contentType: "application/json",
        body: Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/list" })),
        headers: {},
      });
    }
    const baseline = heapAfterGc();
    const started = Date.now();

    // Act
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await check(r);
      }),
      fuzzParameters(RUNS),
    );
    const durationMs = Date.now() - started;
    const after = heapAfterGc();

    // Assess
    const ping = await fx.app.fetch(new Request("http://127.0.0.1:8000/ping"));
    const call = await fx.app.fetch(
      new Request("http://127.0.0.1:8000/mcp", {
        method: "POST",
        headers: {
          authorization: `Bearer ${fx.token}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-protocol-version": "2025-06-18",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "add", arguments: { a: 2, b: 3 } },
        }),
      }),
    );
    const callText = await call.text();
    Object.assign(figures, {
      cases: RUNS,
      handled: RUNS,
      crashes: 0,
      serverErrors: 0,
      durationMs,
      heapBaselineMiB: mib(baseline),
      heapAfterMiB: mib(after),
      heapBoundMiB: mib(baseline + 48 * 1024 * 1024),
      healthyAfter: ping.status === 200 && call.status === 200,
    });
    expect(after).toBeLessThan(baseline + 48 * 1024 * 1024);
    expect(ping.status).toBe(200);
    expect(call.status).toBe(200);
    expect(callText).toContain("5");
  });

  it("never writes a token or the client secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
