import { describe, expect, it } from "vitest";
import {
  type Attempt,
  type AttemptOutcome,
  decideRetry,
  firstAttempt,
  isResendable,
  learnResendableTools,
  MAX_SENDS,
} from "../../src/mcp/retryPolicy.js";

// A whole second, so HTTP-dates (one-second resolution) land exactly.
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const httpDate = (offsetMs: number) => new Date(NOW + offsetMs).toUTCString();

const networkError = (code: string) =>
  new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
const refused = { error: networkError("ECONNREFUSED") };
const reset = { error: networkError("UND_ERR_SOCKET") };
const status = (code: number, headers: Record<string, string> = {}, sentSession = true): AttemptOutcome => ({
  status: code,
  headers: new Headers(headers),
  sentSession,
});

const post = (over: Partial<Attempt> = {}): Attempt => ({
  ...firstAttempt({ request: "post", resendable: false, mayReinitialize: true }),
  ...over,
});
const listen = (over: Partial<Attempt> = {}): Attempt => ({
  ...firstAttempt({ request: "listen", reconnectMs: 1000 }),
  ...over,
});

describe("Function: decideRetry", () => {
  it.each<[string, Attempt, AttemptOutcome, { action: string; delayMs?: number; next?: Partial<Attempt> }]>([
    // Rule 1: refused connections
    [
      "POST refused, first time",
      post(),
      refused,
      { action: "retry", delayMs: 200, next: { networkRetries: 1 } },
    ],
    ["POST refused, fourth time", post({ networkRetries: 3 }), refused, { action: "retry", delayMs: 1600 }],
    ["POST refused, budget spent", post({ networkRetries: 4 }), refused, { action: "fail" }],
    // Rule 2: fate unknown
    [
      "POST reset, resendable",
      post({ resendable: true }),
      reset,
      { action: "retry", delayMs: 200, next: { resent: true, networkRetries: 1 } },
    ],
    ["POST reset, not resendable", post(), reset, { action: "fail" }],
    [
      "POST reset, already resent once",
      post({ resendable: true, resent: true, networkRetries: 1 }),
      reset,
      { action: "fail" },
    ],
    [
      "GET reset, first time",
      listen(),
      reset,
      { action: "retry", delayMs: 1000, next: { networkRetries: 1 } },
    ],
    [
      "GET refused, third time, server retry 500 ms",
      listen({ reconnectMs: 500, networkRetries: 2 }),
      refused,
      { action: "retry", delayMs: 2000 },
    ],
    ["GET network error, budget spent", listen({ networkRetries: 5 }), reset, { action: "fail" }],
    // Rule 3: token rejected
    ["POST 401", post(), status(401), { action: "refresh-token", next: { tokenRefreshed: true } }],
    ["POST 403", post(), status(403), { action: "refresh-token", next: { tokenRefreshed: true } }],
    ["POST 401 after a refresh", post({ tokenRefreshed: true }), status(401), { action: "fail" }],
    ["GET 401", listen(), status(401), { action: "refresh-token" }],
    // Rule 4: session lost
    [
      "POST 404 with a session",
      post(),
      status(404),
      { action: "reinitialize", next: { reinitialized: true } },
    ],
    ["POST 404 again after re-initialising", post({ reinitialized: true }), status(404), { action: "fail" }],
    ["POST 404 without a session id (a wrong URL)", post(), status(404, {}, false), { action: "fail" }],
    [
      "POST 404 to an initialize or the replay",
      { ...post(), mayReinitialize: false },
      status(404),
      { action: "fail" },
    ],
    [
      "GET 404 (the stream ends; the next POST replaces the session)",
      listen(),
      status(404),
      { action: "fail" },
    ],
    // Rule 5: 429
    [
      "429 with an HTTP-date 3 s ahead",
      post(),
      status(429, { "retry-after": httpDate(3000) }),
      { action: "retry", delayMs: 3000, next: { waited: true } },
    ],
    [
      "429 with an HTTP-date in the past",
      post(),
      status(429, { "retry-after": httpDate(-60_000) }),
      { action: "retry", delayMs: 0 },
    ],
    [
      "429 with an HTTP-date a minute ahead",
      post(),
      status(429, { "retry-after": httpDate(60_000) }),
      { action: "fail" },
    ],
    [
      "429 with Retry-After: 2",
      post(),
      status(429, { "retry-after": "2" }),
      { action: "retry", delayMs: 2000 },
    ],
    ["429 without Retry-After", post(), status(429), { action: "retry", delayMs: 1000 }],
    [
      "429 with an unparsable Retry-After",
      post(),
      status(429, { "retry-after": "soon" }),
      { action: "retry", delayMs: 1000 },
    ],
    ["429 after waiting once", post({ waited: true }), status(429), { action: "fail" }],
    // Rule 6: 503
    [
      "503 without Retry-After, resendable",
      post({ resendable: true }),
      status(503),
      { action: "retry", delayMs: 500, next: { waited: true } },
    ],
    [
      "503 with Retry-After: 1, resendable",
      post({ resendable: true }),
      status(503, { "retry-after": "1" }),
      { action: "retry", delayMs: 1000 },
    ],
    [
      "503 with Retry-After: 5 (the auth layer's), resendable",
      post({ resendable: true }),
      status(503, { "retry-after": "5" }),
      { action: "retry", delayMs: 5000 },
    ],
    [
      "503 with Retry-After: 30, resendable",
      post({ resendable: true }),
      status(503, { "retry-after": "30" }),
      { action: "fail" },
    ],
    [
      "503 with an HTTP-date 2 s ahead, resendable",
      post({ resendable: true }),
      status(503, { "retry-after": httpDate(2000) }),
      { action: "retry", delayMs: 2000 },
    ],
    ["503, not resendable", post(), status(503), { action: "fail" }],
    ["503 after waiting once", post({ resendable: true, waited: true }), status(503), { action: "fail" }],
    // Rule 7: everything else
    ["400", post(), status(400), { action: "fail" }],
    ["405 to GET (no stream)", listen(), status(405), { action: "fail" }],
    ["500", post({ resendable: true }), status(500), { action: "fail" }],
  ])("%s", (_name, attempt, outcome, expected) => {
    // Act
    const decision = decideRetry(attempt, outcome, NOW);
    // Assess
    expect(decision.action).toBe(expected.action);
    if (expected.delayMs !== undefined) expect(decision).toMatchObject({ delayMs: expected.delayMs });
    if (expected.next !== undefined) expect(decision).toMatchObject({ next: expected.next });
    expect(decision.reason).not.toBe("");
  });

  it("logs the reason the e2e tests and users read for a token refresh", () => {
    expect(decideRetry(post(), status(401), NOW).reason).toBe(
      "MCP server answered 401; refreshing the token and retrying once",
    );
  });

  it.each([
    ["a resendable POST", post({ resendable: true })],
    ["a POST that is not resendable", post()],
    ["the GET stream", listen()],
  ])("never sends %s more than MAX_SENDS times, whatever the server answers", (_name, start) => {
    // Prepare: every failure the rules act on
    const outcomes: AttemptOutcome[] = [
      refused,
      reset,
      status(401),
      status(403),
      status(404),
      status(429),
      status(503),
    ];
    // Act: the longest chain of decisions that are not `fail`, over every order of outcomes
    const memo = new Map<string, number>();
    const longest = (attempt: Attempt): number => {
      const key = JSON.stringify(attempt);
      let best = memo.get(key);
      if (best !== undefined) return best;
      best = 0;
      for (const outcome of outcomes) {
        const d = decideRetry(attempt, outcome, NOW);
        if (d.action !== "fail") best = Math.max(best, 1 + longest(d.next));
      }
      memo.set(key, best);
      return best;
    };
    const sends = 1 + longest(start);
    // Assess
    expect(sends).toBeLessThanOrEqual(MAX_SENDS);
    if (start.resendable && start.request === "post") expect(sends).toBe(MAX_SENDS);
  });
});

describe("Function: isResendable", () => {
  const call = (name: string) => ({ jsonrpc: "2.0" as const, id: 1, method: "tools/call", params: { name } });
  it("allows read-only methods, notifications, and tools learnt as read-only or idempotent", () => {
    // Prepare
    const safe = new Set<string>();
    learnResendableTools(
      {
        tools: [
          { name: "look", annotations: { readOnlyHint: true } },
          { name: "put", annotations: { idempotentHint: true } },
          { name: "send", annotations: {} },
        ],
      },
      safe,
    );
    // Assess
    expect(isResendable([{ jsonrpc: "2.0", id: 1, method: "resources/read" }], safe)).toBe(true);
    expect(isResendable([{ jsonrpc: "2.0", method: "notifications/initialized" }], safe)).toBe(true);
    expect(isResendable([call("look"), call("put")], safe)).toBe(true);
    expect(isResendable([call("look"), call("send")], safe)).toBe(false);
    expect(isResendable([call("unknown")], safe)).toBe(false);
  });

  it("forgets a tool the server lists again without the hint", () => {
    const safe = new Set(["look"]);
    learnResendableTools({ tools: [{ name: "look" }] }, safe);
    expect(safe.has("look")).toBe(false);
  });
});
