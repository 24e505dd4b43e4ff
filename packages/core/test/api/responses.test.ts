import { describe, expect, it } from "vitest";
import { errorBodySchema } from "../../src/api/errorBody.js";
import {
  profilesResponseSchema,
  tokenResponseSchema,
  whoamiResponseSchema,
} from "../../src/api/responses.js";

const token = {
  access_token: "eyJ.x.y",
  token_type: "Bearer",
  expires_in: 3600,
  expires_at: "2026-11-26T12:00:00Z",
  scope: "invoke",
  profile: "default",
};

describe("Schema: tokenResponseSchema", () => {
  it("accepts a token response and strips unknown fields", () => {
    expect(tokenResponseSchema.parse({ ...token, extra: 1 })).toEqual(token);
    expect(tokenResponseSchema.safeParse({ ...token, expires_at: "2026-11-26T12:00:00+01:00" }).success).toBe(
      true,
    );
  });

  it.each([
    [{ token_type: "bearer" }],
    [{ token_type: "MAC" }],
    [{ expires_in: -1 }],
    [{ expires_in: 1.5 }],
    [{ expires_at: "tomorrow" }],
    [{ access_token: "" }],
    [{ access_token: "x".repeat(16385) }],
    [{ profile: "bad profile" }],
    [{ scope: 3 }],
  ])("rejects %j", (patch) => {
    expect(tokenResponseSchema.safeParse({ ...token, ...patch }).success).toBe(false);
  });
});

describe("Schema: profilesResponseSchema and whoamiResponseSchema", () => {
  it("accept valid responses and reject bad ones", () => {
    expect(
      profilesResponseSchema.safeParse({
        profiles: [{ name: "default", audience: "https://a/", scopes: ["invoke"] }],
      }).success,
    ).toBe(true);
    expect(
      profilesResponseSchema.safeParse({ profiles: [{ name: "", audience: "a", scopes: [] }] }).success,
    ).toBe(false);
    const who = {
      principal: "arn:aws:sts::123456789012:assumed-role/Dev/alice",
      accountId: "123456789012",
      normalizedPrincipal: "arn:aws:iam::123456789012:role/Dev",
    };
    expect(whoamiResponseSchema.parse(who)).toEqual(who);
    expect(whoamiResponseSchema.safeParse({ ...who, accountId: "12345" }).success).toBe(false);
    expect(whoamiResponseSchema.safeParse({ ...who, principal: "x".repeat(2049) }).success).toBe(false);
  });
});

describe("Schema: errorBodySchema", () => {
  it("accepts known codes only", () => {
    expect(
      errorBodySchema.safeParse({ error: "access_denied", error_description: "x", request_id: "r" }).success,
    ).toBe(true);
    expect(
      errorBodySchema.safeParse({ error: "server_error", error_description: "x", request_id: "r" }).success,
    ).toBe(false);
    expect(errorBodySchema.safeParse({ error: "access_denied", request_id: "r" }).success).toBe(false);
  });
});
