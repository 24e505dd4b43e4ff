import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TOKEN_REQUEST_LIMITS } from "../../src/api/limits.js";
import {
  parseTokenRequestBody,
  parseTokenRequestQuery,
  profileNameSchema,
  scopeSchema,
} from "../../src/api/tokenRequest.js";
import { BrokerError } from "../../src/errors/brokerError.js";

function invalid(fn: () => unknown): BrokerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BrokerError);
    expect((e as BrokerError).code).toBe("invalid_request");
    return e as BrokerError;
  }
  throw new Error("expected an invalid_request BrokerError");
}

describe("Function: parseTokenRequestBody", () => {
  it("applies defaults to an empty body", () => {
    expect(parseTokenRequestBody({})).toEqual({ profile: "default", scopes: [] });
    expect(parseTokenRequestBody(undefined)).toEqual({ profile: "default", scopes: [] });
    expect(parseTokenRequestBody(null)).toEqual({ profile: "default", scopes: [] });
  });

  it("accepts a full body and de-duplicates scopes in first-seen order", () => {
    expect(
      parseTokenRequestBody({ profile: "prod.eu-1", scopes: ["b", "a", "b"], minTtlSeconds: 600 }),
    ).toEqual({
      profile: "prod.eu-1",
      scopes: ["b", "a"],
      minTtlSeconds: 600,
    });
  });

  it.each([
    [{ profile: "" }, /^profile: expected a profile name/],
    [{ profile: "-x" }, /^profile: /],
    [{ profile: "a".repeat(65) }, /^profile: /],
    [{ profile: 3 }, /^profile: /],
    [{ scopes: "read" }, /^scopes: /],
    [{ scopes: ["ok", "bad scope"] }, /^scopes\[1\]: expected a scope token/],
    [{ scopes: ['a"b'] }, /^scopes\[0\]: /],
    [{ scopes: ["a\\b"] }, /^scopes\[0\]: /],
    [{ scopes: [""] }, /^scopes\[0\]: /],
    [{ scopes: ["x".repeat(129)] }, /^scopes\[0\]: /],
    [{ scopes: Array.from({ length: 33 }, (_, i) => `s${i}`) }, /^scopes: expected at most 32 scopes/],
    [{ minTtlSeconds: -1 }, /^minTtlSeconds: expected 0 or more/],
    [{ minTtlSeconds: 1.5 }, /^minTtlSeconds: expected an integer/],
    [{ minTtlSeconds: 43201 }, /^minTtlSeconds: expected at most 43200/],
    [{ minTtlSeconds: "60" }, /^minTtlSeconds: /],
    [{ profile: "default", extra: true }, /unknown field "extra"/],
  ])("rejects %j naming the field", (body, message) => {
    const err = invalid(() => parseTokenRequestBody(body));
    expect(err.description).toMatch(message);
    expect(err.status).toBe(400);
  });

  it.each([[[]], ["x"], [3], [true]])("rejects a non-object body %j", (body) => {
    expect(invalid(() => parseTokenRequestBody(body)).description).toMatch(/must be a JSON object/);
  });

  it("accepts the maximum sizes", () => {
    const scopes = Array.from({ length: TOKEN_REQUEST_LIMITS.maxScopes }, (_, i) => `${i}`.padEnd(128, "x"));
    expect(
      parseTokenRequestBody({ profile: "a".repeat(64), scopes, minTtlSeconds: 43200 }).scopes,
    ).toHaveLength(32);
  });
});

describe("Function: parseTokenRequestQuery", () => {
  it("parses profile, space-separated scopes and min_ttl", () => {
    expect(
      parseTokenRequestQuery(new URLSearchParams("profile=prod&scope=read+write+read&min_ttl=60")),
    ).toEqual({
      profile: "prod",
      scopes: ["read", "write"],
      minTtlSeconds: 60,
    });
    expect(parseTokenRequestQuery(new URLSearchParams(""))).toEqual({ profile: "default", scopes: [] });
    expect(parseTokenRequestQuery(new URLSearchParams("scope=%20a%20%20b"))).toMatchObject({
      scopes: ["a", "b"],
    });
  });

  it.each([
    ["foo=1", /unknown query parameter "foo"/],
    ["scope=a&scope=b", /"scope" given more than once/],
    ["profile=a&profile=b", /"profile" given more than once/],
    ["min_ttl=abc", /^min_ttl: expected an integer/],
    ["min_ttl=-5", /^min_ttl: /],
    ["min_ttl=1.5", /^min_ttl: /],
    ["min_ttl=1000000", /^min_ttl: /],
    ["min_ttl=50000", /^min_ttl: expected at most 43200/],
    ["profile=", /^profile: /],
    ["scope=a%22b", /^scope\[0\]: /],
    [`scope=${"a+".repeat(40)}`, /^scope: expected at most 32 scopes/],
    [`scope=${"a".repeat(5000)}`, /^scope: longer than/],
  ])("rejects ?%s", (query, message) => {
    expect(invalid(() => parseTokenRequestQuery(new URLSearchParams(query))).description).toMatch(message);
  });
});

describe("Property: request schemas", () => {
  const scope = fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/);
  const profile = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

  it("accepts every valid body and the query form gives the same request", () => {
    fc.assert(
      fc.property(
        profile,
        fc.array(scope, { maxLength: 32 }),
        fc.option(fc.integer({ min: 0, max: 43200 }), { nil: undefined }),
        (p, scopes, minTtlSeconds) => {
          const body = parseTokenRequestBody({
            profile: p,
            scopes,
            ...(minTtlSeconds === undefined ? {} : { minTtlSeconds }),
          });
          expect(body.profile).toBe(p);
          expect(body.scopes).toEqual([...new Set(scopes)]);
          expect(body.minTtlSeconds).toBe(minTtlSeconds);
          const q = new URLSearchParams({ profile: p });
          if (scopes.length > 0) q.set("scope", scopes.join(" "));
          if (minTtlSeconds !== undefined) q.set("min_ttl", String(minTtlSeconds));
          expect(parseTokenRequestQuery(new URLSearchParams(q.toString()))).toEqual(body);
        },
      ),
    );
  });

  it("never throws anything but invalid_request for arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          const r = parseTokenRequestBody(json);
          expect(profileNameSchema.safeParse(r.profile).success).toBe(true);
          expect(r.scopes.every((s) => scopeSchema.safeParse(s).success)).toBe(true);
          expect(r.scopes.length).toBeLessThanOrEqual(32);
        } catch (e) {
          expect(e).toBeInstanceOf(BrokerError);
          expect((e as BrokerError).code).toBe("invalid_request");
        }
      }),
    );
  });

  it("never throws anything but invalid_request for arbitrary query strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (query) => {
        try {
          parseTokenRequestQuery(new URLSearchParams(query));
        } catch (e) {
          expect((e as BrokerError).code).toBe("invalid_request");
        }
      }),
    );
  });

  it("rejects any scope containing a space, quote or backslash", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(" ", '"', "\\", "\n", "é"),
        fc.string({ maxLength: 20 }),
        (a, bad, b) => {
          expect(scopeSchema.safeParse(`${a}${bad}${b}`).success).toBe(false);
        },
      ),
    );
  });
});
