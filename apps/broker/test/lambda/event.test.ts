/**
 * The Lambda adapter's event conversion: straight from `rawPath`, `rawQueryString`, the headers the
 * broker reads, the body and the IAM context, with no URL normalisation (routing is exact).
 */
import { describe, expect, it } from "vitest";
import { bodyText } from "../../src/http/readBody.js";
import { eventToBrokerRequest, toFunctionUrlResult } from "../../src/lambda/event.js";
import { functionUrlEvent } from "../support/events.js";
import { identities } from "../support/fixtures.js";

describe("Function: eventToBrokerRequest", () => {
  it("takes method, raw path and query, the headers the broker reads, the body and the IAM context", async () => {
    // Prepare
    const event = functionUrlEvent(identities.agent, {
      method: "post",
      path: "/v1/token?profile=default&scope=a+b",
      headers: { "content-type": "application/json", "x-other": "ignored" },
      body: '{"profile":"default"}',
    });
    // Act
    const request = eventToBrokerRequest(event, "fallback");
    // Assess
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/token",
      query: "profile=default&scope=a+b",
      headers: { "content-type": "application/json" },
      requestId: event.requestContext.requestId,
    });
    expect(request.identity?.userArn).toBe(identities.agent.principalArn);
    expect(await bodyText(request.body, 1024)).toBe('{"profile":"default"}');
  });

  it("keeps the path as sent, so only exact paths route (no dot-segment or slash normalisation)", () => {
    for (const path of ["//v1/token", "/v1/./token", "/v1/token/", "/v1/%74oken"]) {
      expect(eventToBrokerRequest(functionUrlEvent(identities.agent, { path }), "f").path).toBe(path);
    }
  });

  it("decodes base64 bodies, drops bodies of GET, and falls back to the given request id", async () => {
    const post = functionUrlEvent(null, { method: "POST", path: "/v1/token", body: "{}", base64: true });
    expect(await bodyText(eventToBrokerRequest(post, "f").body, 1024)).toBe("{}");
    const get = functionUrlEvent(null, { method: "GET", path: "/v1/whoami", body: "ignored" });
    expect(eventToBrokerRequest(get, "f").body).toBeNull();
    const noId = { ...get, requestContext: { ...get.requestContext, requestId: "" } };
    expect(eventToBrokerRequest(noId, "fallback-id")).toMatchObject({
      requestId: "fallback-id",
      identity: undefined,
    });
  });
});

describe("Function: toFunctionUrlResult", () => {
  it("maps status, headers and body, never base64", () => {
    expect(toFunctionUrlResult({ status: 201, headers: { a: "b" }, body: "x" })).toEqual({
      statusCode: 201,
      headers: { a: "b" },
      body: "x",
      isBase64Encoded: false,
    });
  });
});
