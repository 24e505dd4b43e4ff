/**
 * Fuzzing the proxy's stdio input: one long-lived `mcp-token proxy` child (the built CLI bundle) in
 * front of the MCP server, fed generated input: JSON-RPC requests, notifications, client responses
 * and batches; non-JSON lines, JSON that is not JSON-RPC, invalid UTF-8, CRLF and blank lines; every
 * case split at random points into partial writes. Lines over the proxy's 4 MiB limit and a message
 * over the server's body limit are sent once each.
 *
 * Properties: the proxy stays up and exits 0 when stdin closes; stdout carries only JSON-RPC
 * messages; every request gets exactly one answer with its id; every bad line gets exactly one error
 * answer; its heap stays bounded; a normal call works afterwards.
 *
 * Case count: RELIABILITY_PROXY_FUZZ_RUNS (default 2,000) over one child; each case waits for its
 * answers, so the count is bounded by round trips through the MCP server, not by CPU.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { fuzzParameters } from "../../src/fuzz/params.js";
import { type ProxyProcess, type RpcMessage, startProxy } from "../../src/stack/proxyProcess.js";
import { type ProxyStack, startProxyStack } from "../../src/stack/proxyStack.js";
import { mib } from "../../src/stats/heap.js";
import { Histogram } from "../../src/stats/histogram.js";
import { waitFor } from "../../src/traffic/traffic.js";

const RUNS = Number(process.env.RELIABILITY_PROXY_FUZZ_RUNS ?? 2000);
const audit = new LeakAudit("fuzz-proxy-stdio");
let stack: ProxyStack;
let proxy: ProxyProcess;
const kinds = new Histogram();
const answers = new Histogram();
const figures: Record<string, unknown> = {};
let caseNo = 0;

beforeAll(async () => {
  stack = await startProxyStack({ audit, tokenLifetimeSeconds: 3600 });
  proxy = startProxy({ target: stack.mcpUrl, env: stack.cliEnv(), audit, heapProbe: true });
  const init = await proxy.request(
    {
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } },
    },
    30_000,
  );
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
  await proxy.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
});

afterAll(async () => {
  if (proxy && proxy.tracked.child.exitCode === null) await proxy.end().catch(() => {});
  await stack?.close();
  const scan = audit.scan();
  writeResult("fuzz-proxy-stdio", "fuzz", "test/fuzz/proxyStdio.test.ts", {
    surface: "mcp-token proxy stdin (one long-lived CLI child in front of the MCP server)",
    ...figures,
    inputKinds: kinds.toJSON(),
    answers: answers.toJSON(),
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

// ---- generators: each case is a list of lines plus what they must produce --------------------

interface Piece {
  kind: string;
  bytes: Buffer;
  /** Ids that must each get exactly one answer. */
  ids: string[];
  /** Number of error answers without a pending id (bad lines). */
  bad: number;
}

const text = fc.string({ maxLength: 20 });
const call = fc.oneof(
  fc.constant({ method: "tools/list" }),
  fc.constant({ method: "ping" }),
  fc
    .record({ a: fc.oneof(fc.integer(), fc.double(), text), b: fc.oneof(fc.integer(), text) })
    .map((args) => ({
      method: "tools/call",
      params: { name: "add", arguments: args },
    })),
  fc
    .constantFrom("whoami", "nope", "")
    .map((name) => ({ method: "tools/call", params: { name, arguments: {} } })),
  fc.constantFrom("resources/list", "prompts/list", "no/such/method", "").map((method) => ({ method })),
);
const eol = fc.constantFrom("\n", "\r\n");

function request(): fc.Arbitrary<Piece> {
  return fc.tuple(call, eol).map(([c, end]) => {
    const id = `fz-${++caseNo}`;
    return {
      kind: `request ${c.method || "(empty method)"}`,
      bytes: Buffer.from(`${JSON.stringify({ jsonrpc: "2.0", id, ...c })}${end}`),
      ids: [id],
      bad: 0,
    };
  });
}
const batch: fc.Arbitrary<Piece> = fc.array(call, { minLength: 1, maxLength: 4 }).map((calls) => {
  const ids = calls.map(() => `fz-${++caseNo}`);
  const body = calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], ...c }));
  return { kind: "batch", bytes: Buffer.from(`${JSON.stringify(body)}\n`), ids, bad: 0 };
});
const notification: fc.Arbitrary<Piece> = fc
  .constantFrom(
    "notifications/cancelled",
    "notifications/progress",
    "notifications/roots/list_changed",
    "notifications/unknown",
  )
  .map((method) => ({
    kind: "notification",
    bytes: Buffer.from(`${JSON.stringify({ jsonrpc: "2.0", method, params: {} })}\n`),
    ids: [],
    bad: 0,
  }));
const clientResponse: fc.Arbitrary<Piece> = fc
  .constantFrom({ result: {} }, { error: { code: -32601, message: "no" } })
  .map((r) => ({
    kind: "client response",
    bytes: Buffer.from(`${JSON.stringify({ jsonrpc: "2.0", id: `srv-${++caseNo}`, ...r })}\n`),
    ids: [],
    bad: 0,
  }));
const nonJson: fc.Arbitrary<Piece> = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 200 }),
    fc.constantFrom(
      "{",
      "}",
      "[",
      '{"jsonrpc":"2.0"',
      "undefined",
      "NaN",
      "{'a':1}",
      "\u0000",
      "\uFEFF",
      "\uFEFF{}",
    ),
  )
  // The proxy skips lines that are blank once trimmed (JavaScript's trim, BOM included).
  .filter((s) => !s.includes("\n") && s.replace(/\r$/, "").trim() !== "" && !isJson(s.replace(/\r$/, "")))
  .map((s) => ({ kind: "non-JSON line", bytes: Buffer.from(`${s}\n`), ids: [], bad: 1 }));
const invalidUtf8: fc.Arbitrary<Piece> = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((b) => Buffer.from([0xc3, 0x28, ...b.filter((x) => x !== 0x0a), 0xff]))
  .map((bytes) => ({
    kind: "invalid UTF-8",
    bytes: Buffer.concat([bytes, Buffer.from("\n")]),
    ids: [],
    bad: 1,
  }));
const notRpc: fc.Arbitrary<Piece> = fc
  .oneof(
    fc.constantFrom(
      "[]",
      "42",
      '"str"',
      "null",
      "true",
      '{"a":1}',
      '{"jsonrpc":"1.0","id":1,"method":"x"}',
      '{"jsonrpc":"2.0","method":7}',
      "[1,2]",
    ),
    fc
      .jsonValue({ maxDepth: 2 })
      .map((v) => JSON.stringify(v))
      .filter((t) => !looksRpc(t)),
  )
  .map((t) => ({ kind: "JSON, not JSON-RPC", bytes: Buffer.from(`${t}\n`), ids: [], bad: 1 }));
const blank: fc.Arbitrary<Piece> = fc
  .constantFrom("\n", "\r\n", "   \n", "\t\n")
  .map((t) => ({ kind: "blank line", bytes: Buffer.from(t), ids: [], bad: 0 }));

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** Whether the proxy would accept this JSON as JSON-RPC (then it is not a "bad line"). */
function looksRpc(t: string): boolean {
  const v = JSON.parse(t) as unknown;
  const one = (m: unknown) =>
    typeof m === "object" &&
    m !== null &&
    !Array.isArray(m) &&
    (m as { jsonrpc?: unknown }).jsonrpc === "2.0";
  return Array.isArray(v) ? v.length > 0 && v.every(one) : one(v);
}

const piece = fc.oneof(
  { weight: 4, arbitrary: request() },
  { weight: 1, arbitrary: batch },
  { weight: 1, arbitrary: notification },
  { weight: 1, arbitrary: clientResponse },
  { weight: 2, arbitrary: nonJson },
  { weight: 1, arbitrary: invalidUtf8 },
  { weight: 2, arbitrary: notRpc },
  { weight: 1, arbitrary: blank },
);
const fuzzCase = fc.tuple(
  fc.array(piece, { minLength: 1, maxLength: 3 }),
  fc.array(fc.nat(), { maxLength: 4 }),
);

async function runCase(pieces: Piece[], cuts: number[]): Promise<void> {
  const data = Buffer.concat(pieces.map((p) => p.bytes));
  const ids = pieces.flatMap((p) => p.ids);
  const bad = pieces.reduce((n, p) => n + p.bad, 0);
  for (const p of pieces) kinds.add(p.kind);
  const waits = ids.map((id) => proxy.awaitId(id, 15_000));
  const unmatchedBefore = proxy.unmatched.length;
  // Partial writes: cut the bytes at up to four points, writing each piece on its own tick.
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const at of [...points, data.length]) {
    if (at > from) await proxy.write(data.subarray(from, at));
    from = Math.max(from, at);
    await new Promise((r) => setImmediate(r));
  }
  const got: RpcMessage[] = await Promise.all(waits);
  for (const m of got) answers.add(m.error ? `error ${m.error.code}` : "result");
  await waitFor(() => proxy.unmatched.length >= unmatchedBefore + bad, 10_000, 5);
  const extra = proxy.unmatched.slice(unmatchedBefore);
  for (const m of extra) answers.add(m.error ? `bad-line error ${m.error.code}` : "unexpected message");
  if (extra.length !== bad) throw new Error(`expected ${bad} error answers, got ${extra.length}`);
  if (extra.some((m) => !m.error))
    throw new Error(`a bad line got a non-error answer: ${JSON.stringify(extra)}`);
  if (proxy.violations.length > 0) throw new Error(`non-JSON-RPC on stdout: ${proxy.violations[0]}`);
}

describe("proxy stdio fuzzing", () => {
  it(`answers ${RUNS} generated inputs over one proxy process: one answer per request, one error per bad line`, async () => {
    // Prepare
    for (let i = 0; i < 50; i++)
      await proxy.request({ method: "tools/call", params: { name: "add", arguments: { a: i, b: 1 } } });
    const heapWarm = await proxy.heap();
    const started = Date.now();

    // Act
    await fc.assert(
      fc.asyncProperty(fuzzCase, async ([pieces, cuts]) => {
        await runCase(pieces, cuts);
      }),
      fuzzParameters(RUNS),
    );
    const durationMs = Date.now() - started;

    // Oversize inputs, once each: a line over the proxy's 4 MiB limit (arriving in 64 KiB writes),
    // and a valid message over the MCP server's 1 MiB body limit.
    const before = proxy.unmatched.length;
    const huge = Buffer.alloc(4 * 1024 * 1024 + 10, 0x61);
    for (let at = 0; at < huge.length; at += 65_536) await proxy.write(huge.subarray(at, at + 65_536));
    await proxy.write("\n");
    await waitFor(() => proxy.unmatched.length > before, 10_000);
    const tooLong = proxy.unmatched[before];
    const bigId = "fz-big";
    const bigAnswer = proxy.awaitId(bigId);
    await proxy.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: bigId, method: "tools/call", params: { name: "add", arguments: { a: 1, b: "x".repeat(1_200_000) } } })}\n`,
    );
    const big = await bigAnswer;
    const heapAfter = await proxy.heap();
    const healthy = await proxy.request({
      method: "tools/call",
      params: { name: "add", arguments: { a: 20, b: 22 } },
    });
    const exitCode = await proxy.end();

    // Assess
    Object.assign(figures, {
      cases: RUNS,
      handled: RUNS,
      crashes: exitCode === 0 ? 0 : 1,
      stdoutLines: proxy.lines(),
      nonRpcStdoutLines: proxy.violations.length,
      oversizeLine: tooLong?.error?.message,
      overBodyLimit: big.error ? `error ${big.error.code}` : "result",
      durationMs,
      heapAfterWarmupMiB: mib(heapWarm),
      heapAfterMiB: mib(heapAfter),
      heapBoundMiB: mib(heapWarm + 32 * 1024 * 1024),
      healthyAfter: JSON.stringify(healthy.result ?? {}).includes("42"),
      exitCode,
    });
    expect(tooLong?.error?.code).toBe(-32700);
    expect(big.error).toBeDefined();
    expect(JSON.stringify(healthy.result)).toContain("42");
    expect(heapAfter).toBeLessThan(heapWarm + 32 * 1024 * 1024);
    expect(proxy.violations).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it("never writes a token, the client secret or an AWS secret to the proxy's output or any log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
