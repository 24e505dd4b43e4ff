/** A short, non-reversible token identifier for correlating log lines. Uses Web Crypto. */

function toHex(bytes: ArrayBuffer): string {
  let out = "";
  for (const b of new Uint8Array(bytes)) out += b.toString(16).padStart(2, "0");
  return out;
}

function jtiOf(payloadPart: string): string | undefined {
  try {
    const b64 = payloadPart.replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
    return typeof json?.jti === "string" && json.jti !== "" ? json.jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first 12 hex characters of SHA-256 over the token's `jti` when it has one, else over its
 * signature part (else over the whole string, for opaque tokens). Safe to log; never reveals the token.
 */
export async function tokenFingerprint(token: string): Promise<string> {
  const parts = token.split(".");
  let material = token;
  if (parts.length === 3 && (parts[1]?.length ?? 0) <= 16384) {
    material = jtiOf(parts[1] as string) ?? (parts[2] || token);
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return toHex(digest).slice(0, 12);
}
