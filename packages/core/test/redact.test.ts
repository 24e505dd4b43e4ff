import fc from "fast-check";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "../src/redact.js";

describe("Function: redactSecrets", () => {
  it("replaces JWTs, Bearer credentials, client_secret values and named secrets", async () => {
    const jwt = await new SignJWT({ sub: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("k".repeat(32)));
    const text = [
      `token=${jwt} end`,
      "Authorization: Bearer opaque-abc.123",
      '{"client_id":"id","client_secret":"s3cr3t-value"}',
      "client_secret=form-secret&grant_type=client_credentials",
      "the password is hunter2hunter2, ok",
    ].join("\n");
    const out = redactSecrets(text, ["hunter2hunter2", "abc"]);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain(jwt.split(".")[2]);
    expect(out).not.toContain("opaque-abc");
    expect(out).not.toContain("s3cr3t-value");
    expect(out).not.toContain("form-secret");
    expect(out).not.toContain("hunter2");
    expect(out).toContain("token=[REDACTED] end");
    expect(out).toContain("Authorization: Bearer [REDACTED]");
    expect(out).toContain('"client_id":"id"');
    expect(out).toContain("grant_type=client_credentials");
    expect(out).toContain("the password is [REDACTED], ok");
  });

  it("removes a secret echoed URL-encoded, form-encoded or inside a Basic credential (issue 11 regression)", () => {
    const secret = "s3cr3t/with+special=chars &more";
    const basic = Buffer.from(`client:${encodeURIComponent(secret)}`).toString("base64");
    const echo = [
      `client_secret=${encodeURIComponent(secret)}`,
      `body was secret=${new URLSearchParams({ x: secret }).toString().slice(2)}`,
      `header Authorization: Basic ${basic}`,
      `raw ${secret}`,
    ].join("\n");
    const out = redactSecrets(echo, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(new URLSearchParams({ x: secret }).toString().slice(2));
    expect(out).not.toContain(basic);
    expect(out).toContain("Authorization: Basic [REDACTED]");
  });

  it("ignores secrets shorter than 4 characters", () => {
    expect(redactSecrets("a b c abc", ["abc", "a"])).toBe("a b c abc");
  });

  it("redacts overlapping secrets, longest first", () => {
    expect(redactSecrets("xx-secret-long-xx", ["secret", "secret-long"])).toBe(`xx-${REDACTED}-xx`);
  });

  it("leaves ordinary text alone", () => {
    const text = "Access denied for arn:aws:sts::123456789012:assumed-role/Dev/alice (request r-1)";
    expect(redactSecrets(text)).toBe(text);
  });

  it("never leaves a given secret in the output", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 4, maxLength: 30 }), fc.string(), (a, secret, b) => {
        // a secret made of the replacement's own characters could re-form across "[REDACTED]"
        fc.pre(![...secret].some((ch) => REDACTED.includes(ch)));
        expect(redactSecrets(`${a}${secret}${b}`, [secret])).not.toContain(secret);
      }),
    );
  });
});
