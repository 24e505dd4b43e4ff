import { tokenResponseSchema } from "@mcp-token/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CACHE_FORMAT_VERSION,
  formatCacheEntry,
  parseCacheEntry,
  parseTokenResponse,
} from "../../src/node/cacheEntry.js";
import type { StoredToken } from "../../src/tokenSource/tokenStore.js";

const response = {
  access_token: "header.payload.signature",
  token_type: "Bearer" as const,
  expires_in: 3600,
  expires_at: "2023-11-14T23:13:20.000Z",
  scope: "a b",
  profile: "default",
};
const token: StoredToken = { obtainedAt: 1_700_000_000_000, expiresAt: 1_700_003_600_000, response };

describe("Function: parseCacheEntry", () => {
  it("reads back what formatCacheEntry wrote", () => {
    expect(parseCacheEntry(formatCacheEntry(token))).toEqual(token);
  });

  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["null", "null"],
    ["another format version", JSON.stringify({ ...JSON.parse(formatCacheEntry(token)), v: 2 })],
    ["a missing version", JSON.stringify({ obtainedAt: 1, expiresAt: 2, response })],
    ["a string time", JSON.stringify({ v: CACHE_FORMAT_VERSION, obtainedAt: "1", expiresAt: 2, response })],
    ["a negative time", JSON.stringify({ v: CACHE_FORMAT_VERSION, obtainedAt: -5, expiresAt: 2, response })],
    [
      "an expiry before it was obtained",
      JSON.stringify({ v: CACHE_FORMAT_VERSION, obtainedAt: 2, expiresAt: 2, response }),
    ],
    ["a missing response", JSON.stringify({ v: CACHE_FORMAT_VERSION, obtainedAt: 1, expiresAt: 2 })],
    [
      "a response of the wrong shape",
      JSON.stringify({
        v: CACHE_FORMAT_VERSION,
        obtainedAt: 1,
        expiresAt: 2,
        response: { access_token: "x" },
      }),
    ],
  ])("treats %s as a miss", (_what, text) => {
    expect(parseCacheEntry(text)).toBeUndefined();
  });

  it("drops unknown fields of the stored response, as the broker client's schema does", () => {
    const text = JSON.stringify({
      ...JSON.parse(formatCacheEntry(token)),
      response: { ...response, extra: 1 },
    });
    expect(parseCacheEntry(text)?.response).toEqual(response);
  });
});

describe("Function: parseTokenResponse (the disk cache's check without zod)", () => {
  const agrees = (value: unknown) => {
    const zod = tokenResponseSchema.safeParse(value);
    const ours = parseTokenResponse(value);
    expect(ours, JSON.stringify(value)?.slice(0, 200)).toEqual(zod.success ? zod.data : undefined);
  };

  it.each<[string, unknown]>([
    ["a valid response", response],
    [
      "an offset expiry with fractional seconds",
      { ...response, expires_at: "2023-11-14T23:13:20.123456+05:30" },
    ],
    ["an empty scope", { ...response, scope: "" }],
    ["expires_in 0", { ...response, expires_in: 0 }],
    ["an empty token", { ...response, access_token: "" }],
    ["a token over the size bound", { ...response, access_token: "x".repeat(16_385) }],
    ["a token at the size bound", { ...response, access_token: "x".repeat(16_384) }],
    ["another token type", { ...response, token_type: "bearer" }],
    ["a fractional expires_in", { ...response, expires_in: 1.5 }],
    ["a negative expires_in", { ...response, expires_in: -1 }],
    ["an unsafe integer expires_in", { ...response, expires_in: 2 ** 60 }],
    ["a string expires_in", { ...response, expires_in: "3600" }],
    ["an expiry without offset", { ...response, expires_at: "2023-11-14T23:13:20" }],
    ["an expiry without seconds", { ...response, expires_at: "2023-11-14T23:13Z" }],
    ["a date-only expiry", { ...response, expires_at: "2023-11-14" }],
    ["hour 24", { ...response, expires_at: "2023-11-14T24:00:00Z" }],
    ["a scope over the size bound", { ...response, scope: "s".repeat(4225) }],
    ["a profile with a space", { ...response, profile: "a b" }],
    ["a profile of 65 characters", { ...response, profile: "p".repeat(65) }],
    ["a missing profile", { ...response, profile: undefined }],
    ["an array", [response]],
    ["null", null],
  ])("agrees with tokenResponseSchema on %s", (_what, value) => {
    agrees(value);
  });

  it("agrees with tokenResponseSchema on generated responses", () => {
    const field = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof(
        { weight: 4, arbitrary: valid },
        { weight: 1, arbitrary: fc.anything() },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
    const date = fc
      .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(
        fc.record({
          access_token: field(fc.string({ maxLength: 40 })),
          token_type: field(fc.constantFrom("Bearer", "bearer", "DPoP")),
          expires_in: field(fc.oneof(fc.nat(), fc.double(), fc.integer())),
          expires_at: field(
            fc.oneof(
              date,
              date.map((d) => d.replace("Z", "+01:00")),
              fc.string(),
            ),
          ),
          scope: field(fc.string()),
          profile: field(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,70}$/), fc.string())),
        }),
        (value) => agrees(value),
      ),
      { numRuns: 500 },
    );
  });
});
