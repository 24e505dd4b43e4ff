import { BrokerConnectionError, CredentialsError } from "@mcp-token/client";
import { BrokerError } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/output/describeError.js";

describe("Function: describeError", () => {
  it("maps CredentialsError to exit 3 with its message", () => {
    const e = new CredentialsError("ERR_AWS_SSO_SESSION_EXPIRED", "run `aws sso login --profile dev`");
    expect(describeError(e)).toEqual({
      message: "run `aws sso login --profile dev`",
      exitCode: 3,
      internal: false,
    });
  });

  it.each([
    ["access_denied", 4],
    ["unauthorized", 4],
    ["unknown_profile", 4],
    ["upstream_rejected", 1],
    ["upstream_unavailable", 1],
  ] as const)("maps BrokerError %s to exit %i with code and request id", (code, exit) => {
    const e = new BrokerError(code, "what to do next", { requestId: "req-1" });
    expect(describeError(e)).toEqual({
      message: `what to do next [${code}, request id req-1]`,
      exitCode: exit,
      internal: false,
    });
  });

  it("maps an unreachable broker to exit 1", () => {
    const e = new BrokerConnectionError("https://b.example/", new TypeError("fetch failed"));
    expect(describeError(e)).toMatchObject({ exitCode: 1, internal: false });
  });

  it("treats anything else as an internal error with a please-report note, never echoing a token", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const report = describeError(new Error(`boom ${jwt}`));
    expect(report).toMatchObject({ exitCode: 1, internal: true });
    expect(report.message).toMatch(
      /^internal error: boom \[REDACTED\]\nThis is a bug in mcp-token; please report it/,
    );
  });
});

describe("describeError: remote text reaches the terminal printable (issue 14)", () => {
  it("removes escape sequences and control characters from a broker's error_description", () => {
    // Prepare: what BrokerError.fromResponse would carry from a hostile or broken broker.
    const error = Object.assign(new Error("x"), {
      name: "BrokerError",
      code: "access_denied",
      description: "denied\x1b[2J\x1b]0;owned\x07\nmcp-token: token refreshed OK",
    });
    // Act
    const report = describeError(error);
    // Assess
    expect(report.message).toBe("denied mcp-token: token refreshed OK [access_denied]");
    expect([...report.message].every((c) => c >= " " && c !== "\x7f")).toBe(true);
  });

  it("reports rate_limited as an operational failure (exit 1) with the broker's advice", () => {
    const error = Object.assign(new Error("x"), {
      name: "BrokerError",
      code: "rate_limited",
      description: "issuance budget spent; new ones again after 42 s",
    });
    expect(describeError(error)).toMatchObject({ exitCode: 1, message: expect.stringContaining("42 s") });
  });
});
