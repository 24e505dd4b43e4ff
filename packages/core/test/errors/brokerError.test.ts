import { describe, expect, it } from "vitest";
import { BrokerError, isBrokerError, MAX_ERROR_BODY_BYTES } from "../../src/errors/brokerError.js";
import { BROKER_ERROR_CODES, BROKER_ERROR_STATUS, isBrokerErrorCode } from "../../src/errors/codes.js";

describe("Constant: BROKER_ERROR_STATUS", () => {
  it("matches the wire table in ARCHITECTURE.md", () => {
    expect(BROKER_ERROR_STATUS).toEqual({
      invalid_request: 400,
      unauthorized: 401,
      access_denied: 403,
      unknown_profile: 404,
      method_not_allowed: 405,
      payload_too_large: 413,
      rate_limited: 429,
      internal_error: 500,
      upstream_rejected: 502,
      upstream_unavailable: 503,
    });
    expect(isBrokerErrorCode("access_denied")).toBe(true);
    expect(isBrokerErrorCode("toString")).toBe(false);
    expect(isBrokerErrorCode(3)).toBe(false);
  });
});

describe("Class: BrokerError", () => {
  it.each(BROKER_ERROR_CODES)("round-trips %s through toResponse and fromResponse", async (code) => {
    // Prepare
    const original = new BrokerError(code, `description of ${code}`, { cause: new Error("private detail") });

    // Act
    const res = original.toResponse("req-1");
    const back = await BrokerError.fromResponse(res);

    // Assess
    expect(res.status).toBe(BROKER_ERROR_STATUS[code]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(back).toBeInstanceOf(BrokerError);
    expect(back).toMatchObject({
      code,
      status: BROKER_ERROR_STATUS[code],
      description: `description of ${code}`,
      message: `description of ${code}`,
      requestId: "req-1",
    });
    expect(back.retryAfterSeconds).toBeUndefined();
  });

  it("never puts the cause into the body", async () => {
    const err = new BrokerError("internal_error", "something failed; retry later", {
      cause: new Error("client_secret=hunter2hunter2"),
    });
    const text = await err.toResponse("r").text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toEqual({
      error: "internal_error",
      error_description: "something failed; retry later",
      request_id: "r",
    });
  });

  it("sends and reads Retry-After", async () => {
    const err = new BrokerError("upstream_unavailable", "issuer rate-limited; retry", {
      retryAfterSeconds: 2.2,
    });
    const res = err.toResponse("r", { "x-extra": "1", "retry-after": "99" });
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.headers.get("x-extra")).toBe("1");
    expect((await BrokerError.fromResponse(res)).retryAfterSeconds).toBe(3);
  });

  it("reads an HTTP-date Retry-After", () => {
    const at = new Date(Date.now() + 10_000).toUTCString();
    const err = BrokerError.fromBody(
      503,
      { error: "upstream_unavailable", error_description: "x", request_id: "r" },
      new Headers({ "retry-after": at }),
    );
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(11);
  });

  it.each([
    [400, "invalid_request"],
    [401, "unauthorized"],
    [403, "access_denied"],
    [404, "unknown_profile"],
    [405, "method_not_allowed"],
    [413, "payload_too_large"],
    [429, "rate_limited"],
    [502, "upstream_unavailable"],
    [503, "upstream_unavailable"],
    [504, "upstream_unavailable"],
    [500, "internal_error"],
    [418, "internal_error"],
  ] as const)("maps a non-broker %i response to %s and keeps the status", async (status, code) => {
    const err = await BrokerError.fromResponse(new Response("<html>gateway</html>", { status }));
    expect(err).toMatchObject({ code, status });
    expect(err.description).toContain(`HTTP ${status}`);
    expect(err.description).not.toContain("<html>");
  });

  it("quotes a short AWS message, redacted, without control characters", async () => {
    const err = await BrokerError.fromResponse(
      Response.json({ Message: "Forbidden\r\nBearer abc.def" }, { status: 403 }),
    );
    expect(err.code).toBe("access_denied");
    expect(err.description).toContain("Forbidden");
    expect(err.description).not.toContain("abc.def");
    expect(err.description).not.toMatch(/[\r\n]/);
  });

  it("keeps the seen status when a valid body arrives with another status", () => {
    const err = BrokerError.fromBody(500, {
      error: "access_denied",
      error_description: "no",
      request_id: "r",
    });
    expect(err).toMatchObject({ code: "access_denied", status: 500 });
  });

  it("does not read more than the body bound", async () => {
    const huge = JSON.stringify({
      error: "access_denied",
      error_description: "x".repeat(MAX_ERROR_BODY_BYTES),
      request_id: "r",
    });
    const err = await BrokerError.fromResponse(new Response(huge, { status: 403 }));
    expect(err).toMatchObject({ code: "access_denied", status: 403 });
    expect(err.description).toContain("without a broker error body");
  });

  it("handles an empty body", async () => {
    const err = await BrokerError.fromResponse(new Response(null, { status: 502 }));
    expect(err).toMatchObject({ code: "upstream_unavailable", status: 502 });
  });

  it("is recognised by isBrokerError", () => {
    expect(isBrokerError(new BrokerError("access_denied", "x"))).toBe(true);
    expect(isBrokerError(new Error("x"))).toBe(false);
    expect(new BrokerError("access_denied", "x").name).toBe("BrokerError");
  });
});
