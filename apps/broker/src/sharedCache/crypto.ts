/**
 * Sealing tokens for the shared cache: AES-256-GCM under a key derived with HKDF-SHA256 from the
 * profile's OAuth client secret (Web Crypto).
 *
 * - **Key**: HKDF-SHA256, input key material = the client secret (UTF-8), salt =
 *   `mcp-token/shared-token-cache/v<version>`, info = `token-key` ‖ item key ‖ client id (NUL-separated).
 *   Every item has its own key; read access to the table alone reveals nothing, and a rotated secret
 *   derives other keys, so items sealed under the old secret fail to open (a miss, then one issuance).
 * - **Nonce**: 96 random bits per seal (a key seals at most a handful of tokens per refresh window).
 * - **AAD**: version ‖ item key ‖ `issuedAt` ‖ `expiresAt`, so the clear-text times cannot be changed and
 *   a sealed token cannot be moved to another item: either fails authentication.
 * - **Plaintext**: JSON `{"a": access token, "s": granted scope}`, size-bounded on the way out.
 *
 * Failures throw {@link SharedCacheCryptoError}; its message never contains key material or plaintext.
 */
import { z } from "zod";

/** Format version of sealed items (part of the salt and the AAD). */
export const SHARED_CACHE_FORMAT_VERSION = 1;

/** AES-GCM nonce length, bytes. */
export const IV_BYTES = 12;

/** AES-GCM tag length, bytes (appended to the ciphertext). */
export const TAG_BYTES = 16;

/** Largest sealed token accepted from the store, bytes (a 16 KiB token, its scope and the JSON around them). */
export const MAX_CIPHERTEXT_BYTES = 24 * 1024;

/** The secret a key is derived from. */
export interface KeyMaterial {
  clientId: string;
  clientSecret: string;
}

/** What a sealed token is bound to (the AAD and the key). Times are epoch ms. */
export interface SealBinding {
  itemKey: string;
  issuedAt: number;
  expiresAt: number;
}

/** The sealed part of a token. */
export interface TokenPlaintext {
  accessToken: string;
  scope: string;
}

/** The output of {@link sealToken}. */
export interface SealedToken {
  version: number;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/** Why a sealed token could not be opened. */
export type SharedCacheCryptoErrorKind = "authentication" | "malformed" | "version";

/** A token that could not be sealed or opened. Never carries key material or plaintext. */
export class SharedCacheCryptoError extends Error {
  readonly code = "ERR_SHARED_CACHE_CRYPTO";
  constructor(
    readonly kind: SharedCacheCryptoErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SharedCacheCryptoError";
  }
}

const utf8 = new TextEncoder();

const plaintextSchema = z.strictObject({
  a: z.string().min(1).max(16_384),
  s: z.string().max(4096),
});

function checkBinding(binding: SealBinding): void {
  if (typeof binding.itemKey !== "string" || binding.itemKey.length === 0 || binding.itemKey.length > 256) {
    throw new TypeError('"binding.itemKey" must be a non-empty string of at most 256 characters');
  }
  for (const name of ["issuedAt", "expiresAt"] as const) {
    if (!Number.isSafeInteger(binding[name]) || binding[name] < 0) {
      throw new TypeError(`"binding.${name}" must be a non-negative integer (epoch ms)`);
    }
  }
}

function aad(version: number, binding: SealBinding): Uint8Array<ArrayBuffer> {
  return utf8.encode(
    [
      `mcp-token/shared-token-cache/v${version}`,
      binding.itemKey,
      String(binding.issuedAt),
      String(binding.expiresAt),
    ].join("\0"),
  );
}

/** Derives the AES-256-GCM key of one item from the client secret (HKDF-SHA256). */
export async function deriveItemKey(
  material: KeyMaterial,
  itemKey: string,
  version = SHARED_CACHE_FORMAT_VERSION,
): Promise<CryptoKey> {
  if (typeof material.clientSecret !== "string" || material.clientSecret.length === 0) {
    throw new TypeError('"material.clientSecret" must be a non-empty string');
  }
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey("raw", utf8.encode(material.clientSecret), "HKDF", false, [
    "deriveKey",
  ]);
  return subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: utf8.encode(`mcp-token/shared-token-cache/v${version}`),
      info: utf8.encode(["token-key", itemKey, material.clientId].join("\0")),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Seals a token for the item `binding.itemKey` with a fresh random nonce.
 *
 * @example
 * const sealed = await sealToken(credentials, { itemKey, issuedAt, expiresAt }, { accessToken, scope });
 */
export async function sealToken(
  material: KeyMaterial,
  binding: SealBinding,
  plaintext: TokenPlaintext,
): Promise<SealedToken> {
  checkBinding(binding);
  const body = plaintextSchema.safeParse({ a: plaintext.accessToken, s: plaintext.scope });
  if (!body.success) throw new TypeError('"plaintext" must hold a token of at most 16384 characters');
  const version = SHARED_CACHE_FORMAT_VERSION;
  const key = await deriveItemKey(material, binding.itemKey, version);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(version, binding), tagLength: TAG_BYTES * 8 },
    key,
    utf8.encode(JSON.stringify(body.data)),
  );
  return { version, iv, ciphertext: new Uint8Array(ciphertext) };
}

/**
 * Opens a sealed token. Any change to the ciphertext, tag, nonce, item key or times, or a different
 * client secret or client id, fails GCM authentication.
 *
 * @throws {SharedCacheCryptoError} `authentication` (wrong key or tampered), `malformed` (bad sizes or
 *   plaintext shape) or `version` (unknown format).
 */
export async function openToken(
  material: KeyMaterial,
  binding: SealBinding,
  sealed: SealedToken,
): Promise<TokenPlaintext> {
  checkBinding(binding);
  if (sealed.version !== SHARED_CACHE_FORMAT_VERSION) {
    throw new SharedCacheCryptoError("version", `unknown sealed-token version ${String(sealed.version)}`);
  }
  if (!(sealed.iv instanceof Uint8Array) || sealed.iv.byteLength !== IV_BYTES) {
    throw new SharedCacheCryptoError("malformed", `the nonce must be ${IV_BYTES} bytes`);
  }
  if (
    !(sealed.ciphertext instanceof Uint8Array) ||
    sealed.ciphertext.byteLength <= TAG_BYTES ||
    sealed.ciphertext.byteLength > MAX_CIPHERTEXT_BYTES
  ) {
    throw new SharedCacheCryptoError(
      "malformed",
      `the ciphertext must be ${TAG_BYTES + 1}..${MAX_CIPHERTEXT_BYTES} bytes`,
    );
  }
  const key = await deriveItemKey(material, binding.itemKey, sealed.version);
  let clear: ArrayBuffer;
  try {
    clear = await globalThis.crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: new Uint8Array(sealed.iv),
        additionalData: aad(sealed.version, binding),
        tagLength: TAG_BYTES * 8,
      },
      key,
      new Uint8Array(sealed.ciphertext),
    );
  } catch (cause) {
    throw new SharedCacheCryptoError(
      "authentication",
      "the sealed token failed authentication (other client secret, or tampered)",
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(clear));
  } catch {
    throw new SharedCacheCryptoError("malformed", "the sealed token is not JSON");
  }
  const parsed = plaintextSchema.safeParse(json);
  if (!parsed.success) throw new SharedCacheCryptoError("malformed", "the sealed token has the wrong shape");
  return { accessToken: parsed.data.a, scope: parsed.data.s };
}

/** Narrows `error` to a {@link SharedCacheCryptoError}. */
export function isSharedCacheCryptoError(error: unknown): error is SharedCacheCryptoError {
  return error instanceof SharedCacheCryptoError;
}
