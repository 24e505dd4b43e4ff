import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { TokenInspectionError } from "../../src/token/errors.js";
import { tokenFingerprint } from "../../src/token/fingerprint.js";
import { inspectToken } from "../../src/token/inspect.js";
import { summarizeClaims } from "../../src/token/summarize.js";

const NOW_S = 1_800_000_000;
const NOW_MS = NOW_S * 1000;
let privateKey: CryptoKey;

beforeAll(async () => {
  ({ privateKey } = await generateKeyPair("ES256"));
});

/** An RFC 9068 access token as oidc-provider issues it. */
async function rfc9068Token(extra: Record<string, unknown> = {}) {
  return new SignJWT({ client_id: "client-abc", scope: "invoke read", ...extra })
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "key-1" })
    .setIssuer("https://issuer.example/")
    .setSubject("client-abc")
    .setAudience("https://mcp.example.com/")
    .setIssuedAt(NOW_S - 600)
    .setExpirationTime(NOW_S + 3000)
    .setJti("jti-123")
    .sign(privateKey);
}

/** An Auth0-profile M2M access token. */
async function auth0Token() {
  return new SignJWT({ azp: "client-xyz", gty: "client-credentials", scope: "invoke" })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "k2" })
    .setIssuer("https://tenant.us.auth0.com/")
    .setSubject("client-xyz@clients")
    .setAudience(["https://mcp.example.com/", "https://tenant.us.auth0.com/userinfo"])
    .setIssuedAt(NOW_S - 100)
    .setExpirationTime(NOW_S - 10)
    .sign(privateKey);
}

describe("Function: inspectToken", () => {
  it("summarises an RFC 9068 token, client id from client_id", async () => {
    const token = await rfc9068Token();
    expect(inspectToken(token, NOW_MS)).toEqual({
      issuer: "https://issuer.example/",
      subject: "client-abc",
      audience: ["https://mcp.example.com/"],
      clientId: "client-abc",
      clientIdClaim: "client_id",
      scopes: ["invoke", "read"],
      issuedAt: NOW_S - 600,
      expiresAt: NOW_S + 3000,
      lifetimeSeconds: 3600,
      secondsLeft: 3000,
      profile: "rfc9068",
      typ: "at+jwt",
      alg: "ES256",
      kid: "key-1",
    });
  });

  it("summarises an Auth0-profile token, client id from azp, expired", async () => {
    const token = await auth0Token();
    expect(inspectToken(`Bearer ${token}`, NOW_MS)).toMatchObject({
      profile: "auth0",
      clientId: "client-xyz",
      clientIdClaim: "azp",
      grantType: "client-credentials",
      audience: ["https://mcp.example.com/", "https://tenant.us.auth0.com/userinfo"],
      secondsLeft: -10,
      lifetimeSeconds: 90,
      typ: "JWT",
    });
  });

  it("never returns the raw token or its signature", async () => {
    for (const token of [await rfc9068Token(), await auth0Token()]) {
      const [header, payload, signature] = token.split(".") as [string, string, string];
      const json = JSON.stringify(inspectToken(token, NOW_MS));
      expect(json).not.toContain(signature);
      expect(json).not.toContain(payload);
      expect(json).not.toContain(header);
    }
  });

  it("prefers client_id over azp and reads scp arrays", async () => {
    const token = await rfc9068Token({ azp: "other", scope: undefined, scp: ["a", "b", 3] });
    expect(inspectToken(token, NOW_MS)).toMatchObject({
      clientId: "client-abc",
      clientIdClaim: "client_id",
      scopes: ["a", "b"],
    });
  });

  it.each([
    ["", /not a JWT/],
    ["opaque-token-value", /not a JWT.*opaque/],
    ["a.b.c.d.e", /encrypted \(JWE\)/],
    ["!!!.???.sig", /not a decodable JWT/],
    ["eyJhbGciOiJub25lIn0.bm90IGpzb24.sig", /not a decodable JWT/],
    [`eyJ${"A".repeat(8193)}.x.y`, /longer than 8192/],
  ])("rejects %j with ERR_TOKEN_MALFORMED and without echoing it", (token, message) => {
    let caught: unknown;
    try {
      inspectToken(token, NOW_MS);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TokenInspectionError);
    expect(caught).toMatchObject({ code: "ERR_TOKEN_MALFORMED", name: "TokenInspectionError" });
    expect((caught as Error).message).toMatch(message);
    if (token.length > 3) expect((caught as Error).message).not.toContain(token.slice(0, 10));
  });

  it("rejects a non-string", () => {
    expect(() => inspectToken(undefined as unknown as string)).toThrow(TokenInspectionError);
  });

  it("defaults now to the system clock", async () => {
    const summary = inspectToken(await rfc9068Token());
    expect(summary.secondsLeft).toBeLessThan(NOW_S);
  });
});

describe("Function: summarizeClaims", () => {
  it.each([
    [{}, { typ: "application/at+jwt" }, "rfc9068"],
    [{}, { typ: "AT+JWT" }, "rfc9068"],
    [{ gty: ["client-credentials", "x"] }, {}, "auth0"],
    [{ sub: "abc@clients" }, { typ: "JWT" }, "auth0"],
    [{ sub: "user|123" }, { typ: "JWT" }, "unknown"],
  ])("classifies %j %j as %s", (claims, header, profile) => {
    expect(summarizeClaims(claims, header, NOW_MS).profile).toBe(profile);
  });

  it("ignores claims of the wrong type and bounds long values", () => {
    const s = summarizeClaims(
      { iss: 1, aud: 5, exp: "soon", iat: Number.NaN, client_id: {}, azp: "x".repeat(10_000), scp: "a  b" },
      { alg: 3 },
      NOW_MS,
    );
    expect(s).toEqual({
      audience: [],
      scopes: ["a", "b"],
      profile: "unknown",
      clientId: "x".repeat(512),
      clientIdClaim: "azp",
    });
  });
});

describe("Function: tokenFingerprint", () => {
  it("is 12 hex characters, stable, and keyed on jti when present", async () => {
    const a = await rfc9068Token();
    const b = await rfc9068Token({ scope: "other" }); // same jti, different signature
    const fa = await tokenFingerprint(a);
    expect(fa).toMatch(/^[0-9a-f]{12}$/);
    expect(await tokenFingerprint(a)).toBe(fa);
    expect(await tokenFingerprint(b)).toBe(fa);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("jti-123"));
    expect(fa).toBe(Buffer.from(digest).toString("hex").slice(0, 12));
  });

  it("uses the signature part without jti, and the whole string for opaque tokens", async () => {
    const t1 = await auth0Token();
    const t2 = await auth0Token(); // ES256 signatures are randomised
    expect(await tokenFingerprint(t1)).not.toBe(await tokenFingerprint(t2));
    const sig = t1.split(".")[2] as string;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(sig));
    expect(await tokenFingerprint(t1)).toBe(Buffer.from(digest).toString("hex").slice(0, 12));
    expect(await tokenFingerprint("opaque")).toMatch(/^[0-9a-f]{12}$/);
    expect(await tokenFingerprint("a.!!!.")).toMatch(/^[0-9a-f]{12}$/);
    expect(await tokenFingerprint("opaque")).not.toContain("opaque");
  });
});
