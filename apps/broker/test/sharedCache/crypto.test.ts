/**
 * Sealing tokens: AES-256-GCM under an HKDF-SHA256 key from the client secret. Round trip, wrong keys,
 * and every tampering (nonce, tag, ciphertext, AAD: item key and times) fail authentication.
 */
import { describe, expect, it } from "vitest";
import { openToken, type SealBinding, type SealedToken, sealToken } from "../../src/sharedCache/crypto.js";
import { sharedItemKey } from "../../src/sharedCache/itemKey.js";

const material = { clientId: "client-a", clientSecret: "s3cr3t-client-secret-for-tests-0123456789" };
const itemKey = sharedItemKey({
  issuer: "https://t.example/",
  audience: "https://mcp/",
  cacheKey: "default|invoke",
});
const binding: SealBinding = { itemKey, issuedAt: 1_800_000_000_000, expiresAt: 1_800_003_600_000 };
const token = {
  accessToken: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQtYUBjbGllbnRzIn0.c2lnbmF0dXJl",
  scope: "invoke read",
};

const flip = (bytes: Uint8Array, index: number) => {
  const copy = new Uint8Array(bytes);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
};

async function expectAuthFailure(promise: Promise<unknown>) {
  await expect(promise).rejects.toMatchObject({ name: "SharedCacheCryptoError", kind: "authentication" });
}

describe("Function: sealToken / openToken", () => {
  it("round-trips a token and its scope", async () => {
    const sealed = await sealToken(material, binding, token);
    expect(await openToken(material, binding, sealed)).toEqual(token);
  });

  it("uses a fresh 96-bit nonce per seal and never contains the token in clear", async () => {
    const a = await sealToken(material, binding, token);
    const b = await sealToken(material, binding, token);
    expect(a.iv.byteLength).toBe(12);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    const bytes = Buffer.from(a.ciphertext).toString("latin1");
    for (const part of token.accessToken.split(".")) expect(bytes).not.toContain(part);
    expect(a.ciphertext.byteLength).toBe(
      JSON.stringify({ a: token.accessToken, s: token.scope }).length + 16,
    );
  });

  it("fails authentication under another client secret (a rotation) or another client id", async () => {
    const sealed = await sealToken(material, binding, token);
    await expectAuthFailure(
      openToken({ ...material, clientSecret: `${material.clientSecret}x` }, binding, sealed),
    );
    await expectAuthFailure(openToken({ ...material, clientId: "client-b" }, binding, sealed));
  });

  it.each([
    ["the nonce", (s: SealedToken) => ({ ...s, iv: flip(s.iv, 0) })],
    ["the tag", (s: SealedToken) => ({ ...s, ciphertext: flip(s.ciphertext, s.ciphertext.byteLength - 1) })],
    ["the ciphertext", (s: SealedToken) => ({ ...s, ciphertext: flip(s.ciphertext, 3) })],
  ])("fails authentication when a bit of %s is flipped", async (_name, tamper) => {
    const sealed = await sealToken(material, binding, token);
    await expectAuthFailure(openToken(material, binding, tamper(sealed)));
  });

  it.each([
    ["expires_at", { ...binding, expiresAt: binding.expiresAt + 3_600_000 }],
    ["issued_at", { ...binding, issuedAt: binding.issuedAt + 1 }],
    ["the item key (a token moved to another item)", { ...binding, itemKey: `${itemKey.slice(0, -1)}A` }],
  ])("fails authentication when %s in the AAD differs", async (_name, other) => {
    const sealed = await sealToken(material, binding, token);
    await expectAuthFailure(openToken(material, other, sealed));
  });

  it("rejects an unknown version, a wrong nonce size and an oversized ciphertext as malformed", async () => {
    const sealed = await sealToken(material, binding, token);
    await expect(openToken(material, binding, { ...sealed, version: 2 })).rejects.toMatchObject({
      kind: "version",
    });
    await expect(openToken(material, binding, { ...sealed, iv: new Uint8Array(16) })).rejects.toMatchObject({
      kind: "malformed",
    });
    await expect(
      openToken(material, binding, { ...sealed, ciphertext: new Uint8Array(25 * 1024) }),
    ).rejects.toMatchObject({ kind: "malformed" });
    await expect(
      openToken(material, binding, { ...sealed, ciphertext: new Uint8Array(16) }),
    ).rejects.toMatchObject({
      kind: "malformed",
    });
  });

  it("refuses to seal a token over 16 KiB or with invalid times", async () => {
    await expect(
      sealToken(material, binding, { accessToken: "x".repeat(16_385), scope: "" }),
    ).rejects.toThrow(TypeError);
    await expect(sealToken(material, { ...binding, expiresAt: 1.5 }, token)).rejects.toThrow(/expiresAt/);
  });

  it("derives different keys for different items under one secret", async () => {
    const other = {
      ...binding,
      itemKey: sharedItemKey({
        issuer: "https://t.example/",
        audience: "https://mcp/",
        cacheKey: "default|read",
      }),
    };
    const sealed = await sealToken(material, other, token);
    await expectAuthFailure(openToken(material, binding, sealed));
  });
});

describe("Function: sharedItemKey", () => {
  it("hashes issuer, audience and cache key without showing any of them", () => {
    const key = sharedItemKey({
      issuer: "https://t.example/",
      audience: "https://mcp/",
      cacheKey: "default|invoke",
    });
    expect(key).toMatch(/^t1#[A-Za-z0-9_-]{43}$/);
    expect(key).not.toMatch(/default|invoke|mcp/);
    expect(
      sharedItemKey({ issuer: "https://t.example/", audience: "https://other/", cacheKey: "default|invoke" }),
    ).not.toBe(key);
  });
});
