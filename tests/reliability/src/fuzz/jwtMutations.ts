/**
 * Mutations of a genuine access token for the bearer-token fuzz suite: structurally valid JWTs whose
 * header, payload or signature was changed (re-encoded JSON, algorithm confusion, `none`, attacker
 * keys, foreign issuers), broken structure, and Authorization-scheme variants. Each case carries the
 * full `Authorization` header value and whether it still denotes the original token byte for byte
 * (only then may the server accept it).
 */
import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import fc from "fast-check";

/** One mutated Authorization header. */
export interface MutatedBearer {
  kind: string;
  authorization: string;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const json = (part: string) =>
  JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

/** The parts of the genuine token, and material for forgeries. */
export interface TokenMaterial {
  token: string;
  /** A genuine token of another issuer (different keys and `iss`). */
  foreignToken: string;
  /** The issuer's public JWK set as JSON text (the HMAC-confusion secret). */
  jwksText: string;
}

const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });

function rs256(input: string): string {
  const signer = createSign("RSA-SHA256");
  signer.update(input);
  return signer.sign(attacker.privateKey).toString("base64url");
}

const claimValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, "", "x".repeat(3000), [], {}, ["a", "b"]),
  fc.integer(),
  fc.string({ maxLength: 40 }),
);

/** Every mutation family for `m`. */
export function mutatedBearer(m: TokenMaterial): fc.Arbitrary<MutatedBearer> {
  const [h, p, s] = m.token.split(".") as [string, string, string];
  const header = json(h);
  const payload = json(p);
  const now = Math.floor(Date.now() / 1000);
  const bearer = (token: string) => `Bearer ${token}`;

  const headerEdit = fc
    .oneof(
      fc
        .constantFrom("none", "HS256", "HS512", "RS512", "ES256", "PS256", "EdDSA", "", "rs256", "RS256 ")
        .map((alg) => ({ alg })),
      claimValue.map((alg) => ({ alg })),
      fc.oneof(claimValue, fc.constantFrom("../../etc/passwd", "unknown-kid")).map((kid) => ({ kid })),
      fc.constantFrom(
        { kid: undefined },
        { alg: undefined },
        { typ: "JWT" },
        { typ: "" },
        { crit: ["exp"] },
        { crit: ["x-unknown"], "x-unknown": 1 },
        { jku: "http://127.0.0.1:9/jwks.json" },
        { x5u: "http://127.0.0.1:9/cert.pem" },
        { jwk: attacker.publicKey.export({ format: "jwk" }) },
        { b64: false, crit: ["b64"] },
        { zip: "DEF" },
        { enc: "A256GCM" },
      ),
    )
    .map((e) => {
      const edit = e as Record<string, unknown>;
      const next = { ...header, ...edit };
      for (const [k, v] of Object.entries(edit)) if (v === undefined) delete next[k];
      return {
        kind: `header-${Object.keys(edit).join("+")}`,
        authorization: bearer(`${b64(JSON.stringify(next))}.${p}.${s}`),
      };
    });

  const payloadEdit = fc
    .tuple(
      fc.constantFrom("exp", "nbf", "iat", "iss", "aud", "client_id", "scope", "sub", "azp", "jti", "extra"),
      fc.oneof(
        claimValue,
        fc.constantFrom(
          now - 3600,
          now + 3600,
          now + 10 ** 9,
          "https://evil.example/",
          "https://mcp.reliability.test/",
          "admin",
        ),
        fc.constant(undefined),
      ),
    )
    .map(([claim, value]) => {
      const next = { ...payload, [claim]: value };
      if (value === undefined) delete next[claim];
      return { kind: `payload-${claim}`, authorization: bearer(`${h}.${b64(JSON.stringify(next))}.${s}`) };
    });

  const reencoded = fc.constantFrom("spaces", "reordered").map((how) => {
    const text =
      how === "spaces"
        ? JSON.stringify(payload, null, 1)
        : JSON.stringify(Object.fromEntries(Object.entries(payload).reverse()));
    return { kind: `payload-reencoded-${how}`, authorization: bearer(`${h}.${b64(text)}.${s}`) };
  });

  const forged = fc
    .tuple(
      fc.constantFrom(
        "attacker-rsa-same-kid",
        "hmac-with-jwks",
        "hmac-with-empty-key",
        "alg-none",
        "alg-none-with-signature",
      ),
      fc.constantFrom("as-is", "admin-scope", "other-client"),
    )
    .map(([how, claims]) => {
      const body =
        claims === "as-is"
          ? payload
          : claims === "admin-scope"
            ? { ...payload, scope: "admin mcp:invoke" }
            : { ...payload, client_id: "attacker" };
      const pp = b64(JSON.stringify(body));
      if (how === "attacker-rsa-same-kid") {
        return { kind: `forged-${how}`, authorization: bearer(`${h}.${pp}.${rs256(`${h}.${pp}`)}`) };
      }
      if (how.startsWith("hmac")) {
        const hh = b64(JSON.stringify({ ...header, alg: "HS256" }));
        const key = how === "hmac-with-jwks" ? m.jwksText : "";
        const sig = createHmac("sha256", key).update(`${hh}.${pp}`).digest("base64url");
        return { kind: `forged-${how}`, authorization: bearer(`${hh}.${pp}.${sig}`) };
      }
      const hn = b64(JSON.stringify({ alg: "none", typ: header.typ }));
      return { kind: `forged-${how}`, authorization: bearer(`${hn}.${pp}.${how === "alg-none" ? "" : s}`) };
    });

  const signatureEdit = fc
    .oneof(
      fc.nat({ max: 400 }).map((i) => ({ how: "flip", i })),
      fc.constantFrom(
        { how: "truncate", i: 0 },
        { how: "append", i: 0 },
        { how: "empty", i: 0 },
        { how: "foreign", i: 0 },
        { how: "std-base64", i: 0 },
        { how: "padded", i: 0 },
      ),
    )
    .map(({ how, i }) => {
      let sig = s;
      if (how === "flip") {
        const at = i % s.length;
        const c = s[at] === "A" ? "B" : "A";
        sig = s.slice(0, at) + c + s.slice(at + 1);
      } else if (how === "truncate") sig = s.slice(0, -4);
      else if (how === "append") sig = `${s}AAAA`;
      else if (how === "empty") sig = "";
      else if (how === "foreign") sig = m.foreignToken.split(".")[2] ?? "";
      else if (how === "std-base64") sig = Buffer.from(s, "base64url").toString("base64");
      else sig = `${s}==`;
      return { kind: `signature-${how}`, authorization: bearer(`${h}.${p}.${sig}`) };
    });

  const structure = fc
    .constantFrom(
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.${s}.x.y`,
      `${p}.${h}.${s}`,
      `${h}..${s}`,
      `.${p}.${s}`,
      `${h}.${p}.`,
      `${h} .${p}.${s}`,
      `${h}.${p}.${s}\u0000`,
      `${h}%2E${p}.${s}`,
      m.foreignToken,
      `${m.token}${"A".repeat(9000)}`,
      `${h}.${b64("not json")}.${s}`,
      `${b64("[]")}.${p}.${s}`,
      `${h}.${b64(JSON.stringify([payload]))}.${s}`,
    )
    .map((t) => ({ kind: "structure", authorization: bearer(t) }));

  const scheme = fc
    .constantFrom(
      `bearer ${m.token}`,
      `BEARER ${m.token}`,
      `Bearer    ${m.token}`,
      `Bearer ${m.token}   `,
      `Bearer\t${m.token}`,
      `Basic ${m.token}`,
      `Token ${m.token}`,
      m.token,
      `Bearer Bearer ${m.token}`,
      `Bearer ${m.token} extra`,
      `Bearer ${m.token},Bearer ${m.token}`,
      "Bearer",
      "Bearer ",
      "",
    )
    .map((authorization) => ({ kind: "scheme", authorization }));

  const randomText = fc
    .oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme-ascii", maxLength: 200 }))
    .map((t) => ({ kind: "random", authorization: `Bearer ${t}` }));

  return fc.oneof(
    { weight: 3, arbitrary: headerEdit },
    { weight: 3, arbitrary: payloadEdit },
    { weight: 1, arbitrary: reencoded },
    { weight: 2, arbitrary: forged },
    { weight: 3, arbitrary: signatureEdit },
    { weight: 1, arbitrary: structure },
    { weight: 1, arbitrary: scheme },
    { weight: 1, arbitrary: randomText },
  );
}

/**
 * True when `authorization` carries exactly the genuine token (same bytes in every part once
 * base64url-decoded, under a Bearer scheme the server accepts): the only case a server may accept.
 */
export function denotesGenuine(authorization: string, token: string): boolean {
  const match = /^Bearer +(.*)$/i.exec(authorization);
  if (!match) return false;
  const candidate = (match[1] ?? "").trim();
  const parts = candidate.split(".");
  const original = token.split(".");
  if (parts.length !== 3 || !parts.every((x) => /^[A-Za-z0-9_-]*$/.test(x))) return false;
  return parts.every((x, i) =>
    Buffer.from(x, "base64url").equals(Buffer.from(original[i] ?? "", "base64url")),
  );
}
