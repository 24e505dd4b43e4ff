/**
 * The Lambda adapter's direct event conversion (no web objects) against the reference conversion through
 * a web `Request`: for any event — dot segments, characters the URL parser encodes, headers `Headers`
 * trims or rejects, invalid methods and hosts, non-ASCII and base64 bodies — both give the same request,
 * or both refuse it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BrokerRequest } from "../../src/http/exchange.js";
import { bodyText } from "../../src/http/readBody.js";
import { fromWebRequest } from "../../src/http/web.js";
import { eventToBrokerRequest, eventToRequest } from "../../src/lambda/event.js";
import { functionUrlEvent } from "../support/events.js";
import { iamOf, identities } from "../support/fixtures.js";

type Event = ReturnType<typeof functionUrlEvent>;

async function comparable(request: BrokerRequest) {
  let body: string;
  try {
    body = await bodyText(request.body, 1 << 20);
  } catch (error) {
    body = `error: ${(error as Error).name}`;
  }
  return { ...request, headers: { ...request.headers }, body };
}

/** Both conversions of `event`: the same plain request, or the same refusal. */
async function convertBoth(event: Event) {
  let reference: unknown;
  try {
    const { request, ctx } = eventToRequest(event, "fallback");
    reference = await comparable(fromWebRequest(request, ctx));
  } catch {
    reference = "unparsable";
  }
  let direct: unknown;
  try {
    direct = await comparable(eventToBrokerRequest(event, "fallback"));
  } catch {
    direct = "unparsable";
  }
  return { reference, direct };
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const text = (...parts: string[]) =>
  fc
    .array(
      fc.oneof(pick(...parts), fc.string({ maxLength: 3 }), fc.string({ unit: "grapheme", maxLength: 2 })),
      {
        maxLength: 6,
      },
    )
    .map((p) => p.join(""));

/** Mostly plausible values (the direct conversion's domain), sometimes anything (its fallback's). */
const mixed = <T>(plausible: fc.Arbitrary<T>, anything: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: anything, weight: 1 });

const eventArb = fc
  .record({
    method: mixed(
      pick("GET", "POST", "post", "PUT", "DELETE"),
      pick("HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO", "BAD METHOD", "Ü"),
    ),
    host: mixed(
      pick("abc123.lambda-url.us-west-2.on.aws", "localhost", "127.0.0.1:9100"),
      pick("host:99999", "foo.123", "a b", "x/y", "user@host", "", "LOCALHOST", "1.2.3.4.5"),
    ),
    path: mixed(
      pick(
        "/v1/token",
        "/v1/whoami",
        "/v1/profiles",
        "/",
        "/v1//token",
        "/v1/token/",
        "/.x/...",
        "/a_b~c-d",
        "",
      ),
      text("/", "v1", "token", "whoami", ".", "..", "%2e", "%2E", "\\", " ", "?", "#", "é", "~", ";", "`"),
    ),
    query: mixed(
      pick("", "profile=default", "scope=a+b&min_ttl=5", "a=%20b", "x=[y]{z}|^`", "p=%", "a=1&a=2", "?x=1"),
      text("profile=default", "&", "scope=a+b", "%20", "#", '"', "'", "<", ">", " ", "\t", "\n", "é", "%"),
    ),
    headers: fc.dictionary(
      mixed(
        pick("content-type", "Content-Type", "content-length", "x-a", "X_B!"),
        fc.string({ maxLength: 6 }),
      ),
      mixed(
        pick("application/json", "text/plain; charset=utf-8", "21", "9000", "", "a  b"),
        fc.oneof(
          pick(" application/json ", "\tx", "a\r\nb", "é", "x\u0000y", "\u007f"),
          fc.string({ maxLength: 6 }),
        ),
      ),
      { maxKeys: 4 },
    ),
    cookies: fc.option(
      fc.array(fc.oneof(pick("a=b", " c=d"), fc.string({ maxLength: 4 })), { maxLength: 2 }),
      {
        nil: undefined,
        freq: 4,
      },
    ),
    body: fc.option(
      mixed(
        pick('{"profile":"default"}', "{}", "", "x".repeat(9000)),
        fc.oneof(pick("\uFEFF{}", "\uD800", "é"), fc.string({ unit: "grapheme", maxLength: 8 })),
      ),
      { nil: undefined },
    ),
    base64: fc.boolean(),
    identified: fc.boolean(),
  })
  .map((r) => {
    const event = functionUrlEvent(r.identified ? identities.developer : null, {
      method: r.method,
      path: "/",
      headers: r.headers,
      ...(r.body !== undefined && { body: r.body, base64: r.base64 }),
    });
    event.rawPath = r.path;
    event.rawQueryString = r.query;
    event.requestContext.domainName = r.host;
    event.requestContext.http.method = r.method;
    if (r.cookies) event.cookies = r.cookies;
    return event;
  });

describe("Function: eventToBrokerRequest", () => {
  it("converts an ordinary token request directly, with the web conversion's meaning", async () => {
    // Prepare
    const event = functionUrlEvent(identities.developer, {
      method: "POST",
      path: "/v1/token",
      headers: { "Content-Type": "application/json", "content-length": "21" },
      body: '{"profile":"default"}',
    });
    // Act
    const request = eventToBrokerRequest(event, "fallback");
    const { reference, direct } = await convertBoth(event);
    // Assess
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/token",
      query: "",
      body: '{"profile":"default"}',
      identity: iamOf(identities.developer),
      requestId: event.requestContext.requestId,
    });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(direct).toEqual(reference);
  });

  it("gives the same request as the web conversion, or refuses it alike, for any event", async () => {
    await fc.assert(
      fc.asyncProperty(eventArb, async (event) => {
        const { reference, direct } = await convertBoth(event);
        expect(direct).toEqual(reference);
      }),
      { numRuns: 400 },
    );
  });

  it("resolves dot segments and encodes what the URL parser encodes, like the web conversion", async () => {
    for (const [rawPath, rawQueryString, path, query] of [
      ["/v1/../v1/token", "", "/v1/token", ""],
      ["/v1/%2e/token", "", "/v1/token", ""],
      ["/v1/to ken", "a=b c", "/v1/to%20ken", "a=b%20c"],
      ["v1/whoami", "x#y", "/v1/whoami", "x"],
    ] as const) {
      const event = functionUrlEvent(identities.developer, { path: "/" });
      event.rawPath = rawPath;
      event.rawQueryString = rawQueryString;
      expect(eventToBrokerRequest(event, "f")).toMatchObject({ path, query });
    }
  });

  it("refuses an event with a forbidden method or an unusable host, like the web conversion", () => {
    const trace = functionUrlEvent(identities.developer, { method: "TRACE", path: "/v1/whoami" });
    const badHost = functionUrlEvent(identities.developer, { path: "/v1/whoami" });
    badHost.requestContext.domainName = "foo.123";
    expect(() => eventToBrokerRequest(trace, "f")).toThrow(TypeError);
    expect(() => eventToBrokerRequest(badHost, "f")).toThrow(TypeError);
  });
});
