/**
 * Mutations of a validly signed request for the SigV4 fuzz suite. Each mutation says whether it must
 * be refused (`mustFail`: it changes something the signature covers, or breaks the credential), may be
 * accepted (`benign`: canonicalisation makes it equivalent, or it stays inside AWS's 5-minute window),
 * or is ambiguous (`either`: e.g. a duplicated field whose valid copy wins).
 */
import fc from "fast-check";
import { type SigningCredentials, signV4 } from "../aws/signV4.js";

/** A request as the emulator's verifier receives it. */
export interface WireRequest {
  method: string;
  url: string;
  /** name, value, name, value… */
  rawHeaders: string[];
  body: Buffer;
}

/** A mutated request and what the verifier must do with it. */
export interface Mutated {
  kind: string;
  expect: "mustFail" | "benign" | "either";
  request: WireRequest;
}

/** The base request every mutation starts from. */
export interface BaseRequest {
  method: "GET" | "POST";
  host: string;
  path: string;
  query: string;
  body: string;
  credentials: SigningCredentials;
  region: string;
  now: number;
}

function headersOf(base: BaseRequest, nowMs = base.now, extra: Record<string, string> = {}) {
  return signV4(
    {
      method: base.method,
      host: base.host,
      path: base.path,
      query: base.query,
      headers: { "content-type": "application/json", ...extra },
      body: base.body,
      contentSha256Header: true,
    },
    base.credentials,
    base.region,
    nowMs,
  );
}

function wire(
  base: BaseRequest,
  headers: Record<string, string>,
  over: Partial<WireRequest> = {},
): WireRequest {
  return {
    method: base.method,
    url: base.query ? `${base.path}?${base.query}` : base.path,
    rawHeaders: Object.entries(headers).flat(),
    body: Buffer.from(base.body),
    ...over,
  };
}

/** The unmutated, valid request. */
export function validRequest(base: BaseRequest): WireRequest {
  return wire(base, headersOf(base));
}

type Mutation = (base: BaseRequest) => fc.Arbitrary<Mutated>;

const garbage = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", ",", "=", "==", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "\u0000", "%00"),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => "A".repeat(n)),
);

function replaceAuth(
  base: BaseRequest,
  edit: (auth: string) => string,
  kind: string,
  expect: Mutated["expect"],
) {
  const h = headersOf(base);
  const auth = edit(h.authorization as string);
  // An edit that happens to change nothing leaves a valid request.
  const verdict = auth === h.authorization ? "benign" : expect;
  return { kind, expect: verdict, request: wire(base, { ...h, authorization: auth }) };
}

function flipHex(s: string, i: number): string {
  const at = i % s.length;
  const c = s[at] as string;
  const next = c === "0" ? "1" : "0";
  return s.slice(0, at) + next + s.slice(at + 1);
}

const mutations: Record<string, Mutation> = {
  algorithm: (b) =>
    fc
      .oneof(
        fc.constantFrom("AWS4-HMAC-SHA512", "aws4-hmac-sha256", "AWS4-ECDSA-P256-SHA256", "AWS3", "Bearer"),
        garbage,
      )
      .filter((alg) => alg.trim() !== "AWS4-HMAC-SHA256")
      .map((alg) =>
        replaceAuth(b, (a) => a.replace("AWS4-HMAC-SHA256", alg), "authorization-algorithm", "mustFail"),
      ),
  dropField: (b) =>
    fc
      .constantFrom("Credential", "SignedHeaders", "Signature")
      .map((f) =>
        replaceAuth(
          b,
          (a) => a.replace(new RegExp(`,? ?${f}=[^,]*`), ""),
          `authorization-drop-${f}`,
          "mustFail",
        ),
      ),
  emptyField: (b) =>
    fc
      .constantFrom("Credential", "SignedHeaders", "Signature")
      .map((f) =>
        replaceAuth(
          b,
          (a) => a.replace(new RegExp(`${f}=[^,]*`), `${f}=`),
          `authorization-empty-${f}`,
          "mustFail",
        ),
      ),
  duplicateField: (b) =>
    fc
      .tuple(fc.constantFrom("Credential", "SignedHeaders", "Signature"), garbage, fc.boolean())
      .map(([f, v, validLast]) =>
        replaceAuth(
          b,
          (a) => {
            const real = new RegExp(`${f}=[^,]*`).exec(a)?.[0] ?? "";
            const fake = `${f}=${v.replace(/,/g, "")}`;
            return validLast ? a.replace(real, `${fake}, ${real}`) : a.replace(real, `${real}, ${fake}`);
          },
          `authorization-duplicate-${f}`,
          validLast ? "either" : "mustFail",
        ),
      ),
  spacing: (b) =>
    fc
      .constantFrom("  ", ",  ", " ,")
      .map((sep) =>
        replaceAuth(
          b,
          (a) => a.replace(/, /g, sep.includes(",") ? sep : `,${sep}`),
          "authorization-spacing",
          "benign",
        ),
      ),
  credential: (b) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: 4 }),
        fc.oneof(
          garbage,
          fc.constantFrom("us-east-1", "s3", "aws4_requests", "20200101", "AKIAUNKNOWN000000000"),
        ),
      )
      .map(([part, value]) =>
        replaceAuth(
          b,
          (a) =>
            a.replace(/Credential=([^,]*)/, (_m, cred: string) => {
              const parts = cred.split("/");
              parts[part] = value.replace(/[,\s]/g, "");
              return `Credential=${parts.join("/")}`;
            }),
          `credential-part-${part}`,
          "mustFail",
        ),
      ),
  credentialShape: (b) =>
    fc.constantFrom("extra", "short", "slashes").map((how) =>
      replaceAuth(
        b,
        (a) =>
          a.replace(/Credential=([^,]*)/, (_m, cred: string) => {
            if (how === "extra") return `Credential=${cred}/extra`;
            if (how === "short") return `Credential=${cred.split("/").slice(0, 3).join("/")}`;
            return `Credential=${cred.replace(/\//g, "//")}`;
          }),
        `credential-shape-${how}`,
        "mustFail",
      ),
    ),
  signedHeaders: (b) =>
    fc.constantFrom("drop-host", "add-missing", "reorder", "uppercase", "empty-entry").map((how) =>
      replaceAuth(
        b,
        (a) =>
          a.replace(/SignedHeaders=([^,]*)/, (_m, list: string) => {
            const names = list.split(";");
            if (how === "drop-host") return `SignedHeaders=${names.filter((n) => n !== "host").join(";")}`;
            if (how === "add-missing") return `SignedHeaders=${[...names, "x-not-sent"].join(";")}`;
            if (how === "reorder") return `SignedHeaders=${[...names].reverse().join(";")}`;
            if (how === "uppercase") return `SignedHeaders=${list.toUpperCase()}`;
            return `SignedHeaders=${list};`;
          }),
        `signed-headers-${how}`,
        "mustFail",
      ),
    ),
  signature: (b) =>
    fc
      .oneof(
        fc.nat({ max: 63 }).map((i) => ({ how: "flip", i })),
        fc.constantFrom(
          { how: "truncate", i: 0 },
          { how: "extend", i: 0 },
          { how: "upper", i: 0 },
          { how: "nonhex", i: 0 },
        ),
      )
      .map(({ how, i }) =>
        replaceAuth(
          b,
          (a) =>
            a.replace(/Signature=([0-9a-f]+)/, (_m, sig: string) => {
              if (how === "flip") return `Signature=${flipHex(sig, i)}`;
              if (how === "truncate") return `Signature=${sig.slice(0, 63)}`;
              if (how === "extend") return `Signature=${sig}0`;
              if (how === "upper") return `Signature=${sig.toUpperCase().replace(/^[0-9]*/, (d) => d)}`;
              return `Signature=${sig.slice(0, 62)}zz`;
            }),
          `signature-${how}`,
          how === "upper" ? "either" : "mustFail",
        ),
      ),
  authorizationGarbage: (b) =>
    garbage.map((g) => {
      const h = headersOf(b);
      return {
        kind: "authorization-garbage",
        expect: "mustFail" as const,
        request: wire(b, { ...h, authorization: g }),
      };
    }),
  dateValue: (b) =>
    fc
      .oneof(
        fc.constantFrom(
          "",
          "20261126",
          "2026-11-26T10:00:00Z",
          "20261399T256199Z",
          "99991231T235959Z",
          "00000101T000000Z",
        ),
        garbage,
      )
      .map((d) => {
        const h = headersOf(b);
        return {
          kind: "x-amz-date-value",
          expect: "mustFail" as const,
          request: wire(b, { ...h, "x-amz-date": d }),
        };
      }),
  dateDrop: (b) =>
    fc.constant(null).map(() => {
      const { "x-amz-date": _d, ...h } = headersOf(b);
      return { kind: "x-amz-date-missing", expect: "mustFail" as const, request: wire(b, h) };
    }),
  clockSkew: (b) =>
    fc.integer({ min: -20, max: 20 }).map((minutes) => {
      const skewMs = minutes * 60_000 + (minutes >= 0 ? 1000 : -1000);
      const inside = Math.abs(skewMs) < 5 * 60_000;
      return {
        kind: inside ? "signed-within-5-min-skew" : "signed-beyond-5-min-skew",
        expect: inside ? ("benign" as const) : ("mustFail" as const),
        request: wire(b, headersOf(b, b.now + skewMs)),
      };
    }),
  securityToken: (b) =>
    fc.oneof(fc.constantFrom("drop", "alter", "empty"), fc.constant("huge")).map((how) => {
      const h = headersOf(b);
      const token = h["x-amz-security-token"] ?? "";
      const { "x-amz-security-token": _t, ...rest } = h;
      const value =
        how === "alter"
          ? `${token.slice(0, -1)}X`
          : how === "empty"
            ? ""
            : how === "huge"
              ? "Q".repeat(100_000)
              : undefined;
      return {
        kind: `x-amz-security-token-${how}`,
        expect: "mustFail" as const,
        request: wire(b, value === undefined ? rest : { ...rest, "x-amz-security-token": value }),
      };
    }),
  contentSha: (b) =>
    fc
      .oneof(
        fc.constantFrom("UNSIGNED-PAYLOAD", "0".repeat(64), "", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        garbage,
      )
      .map((v) => {
        const h = headersOf(b);
        return {
          kind: "x-amz-content-sha256",
          expect: "mustFail" as const,
          request: wire(b, { ...h, "x-amz-content-sha256": v }),
        };
      }),
  headerWhitespace: (b) =>
    fc.constantFrom("  ", "\t", "   ").map((ws) => {
      const h = headersOf(b);
      return {
        kind: "signed-header-whitespace",
        expect: "benign" as const,
        request: wire(b, { ...h, "content-type": `${ws}application/json${ws}` }),
      };
    }),
  unsignedExtraHeader: (b) =>
    fc.tuple(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 }), garbage).map(([n, v]) => {
      const h = headersOf(b);
      const name = `x-extra-${n.replace(/[^a-z0-9-]/gi, "")}`;
      return {
        kind: "unsigned-extra-header",
        expect: "benign" as const,
        request: wire(b, { ...h, [name]: v }),
      };
    }),
  duplicateHeader: (b) =>
    fc
      .tuple(
        fc.constantFrom("x-amz-date", "authorization", "x-amz-security-token", "host"),
        garbage,
        fc.boolean(),
      )
      .map(([name, v, realFirst]) => {
        const h = headersOf(b);
        const raw = Object.entries(h).flat();
        const extra = [name, v];
        return {
          kind: `duplicate-${name}`,
          expect: "either" as const,
          request: wire(b, h, { rawHeaders: realFirst ? [...raw, ...extra] : [...extra, ...raw] }),
        };
      }),
  requestChanged: (b) =>
    fc.constantFrom("method", "path", "query", "body", "host", "path-encoding").map((what) => {
      const h = headersOf(b);
      const req = wire(b, h);
      if (what === "method") req.method = b.method === "GET" ? "POST" : "GET";
      if (what === "path") req.url = req.url.replace("/v1/", "/v2/");
      if (what === "query") req.url = `${req.url}${req.url.includes("?") ? "&" : "?"}x=1`;
      if (what === "body") req.body = Buffer.from(`${b.body} `);
      if (what === "host") req.rawHeaders = Object.entries({ ...h, host: "evil.example.com" }).flat();
      if (what === "path-encoding") req.url = req.url.replace("/v1/", "/%76%31/");
      return { kind: `changed-after-signing-${what}`, expect: "mustFail" as const, request: req };
    }),
  presignedGarbage: (b) =>
    fc.tuple(garbage, fc.constantFrom("1", "0", "604801", "-5", "x")).map(([g, expires]) => {
      const q = new URLSearchParams({
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": `${b.credentials.accessKeyId}/20261126/${b.region}/lambda/aws4_request`,
        "X-Amz-Date": "20261126T100000Z",
        "X-Amz-SignedHeaders": "host",
        "X-Amz-Signature": g,
        "X-Amz-Expires": expires,
      });
      return {
        kind: "presigned-query-garbage",
        expect: "mustFail" as const,
        request: {
          method: b.method,
          url: `${b.path}?${q}`,
          rawHeaders: ["host", b.host],
          body: Buffer.from(b.body),
        },
      };
    }),
};

/** Every mutation kind, equally weighted. */
export function mutatedRequest(base: BaseRequest): fc.Arbitrary<Mutated> {
  return fc.oneof(...Object.values(mutations).map((m) => m(base)));
}

/** Names of the mutation families, for the figures. */
export const MUTATION_FAMILIES = Object.keys(mutations);
