import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { normalizePrincipal } from "@mcp-token/core";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { LocalIdentity } from "../emulator/identities.js";
import { verifySigV4 } from "../emulator/sigv4.js";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { parseWebIdentityTokenRequest, STS_VERSION, type WebIdentityTokenRequest } from "./request.js";
import { type StsError, xmlError, xmlResult } from "./xml.js";

/** What an identity's IAM policy allows for `sts:GetWebIdentityToken` (its condition keys). */
export interface WebIdentityGrant {
  /** `sts:IdentityTokenAudience`: every requested audience must be one of these. Default: any. */
  audiences?: string[];
  /** `sts:DurationSeconds`: the longest `DurationSeconds` allowed. Default 3600. */
  maxDurationSeconds?: number;
  /** `sts:TagGetWebIdentityToken`, needed to pass `Tags`. Default false. */
  allowTags?: boolean;
}

export interface StartStsOptions {
  /** Identities whose SigV4 signatures are accepted (service `sts`). */
  identities: LocalIdentity[];
  /**
   * Identity name → what its policy allows. An identity not listed holds no `sts:GetWebIdentityToken`
   * permission and gets AWS's `AccessDenied`.
   */
  grants: Record<string, WebIdentityGrant>;
  /** Region of this regional endpoint; default "us-west-2". */
  region?: string;
  port?: number;
  host?: string;
  /** Clock (epoch ms) for signature skew and token times. Default `Date`. */
  clock?: { now(): number };
  /** Whether the accounts enabled outbound identity federation. Default true. */
  federationEnabled?: boolean;
  /** Play the STS global endpoint (`sts.amazonaws.com`), where `GetWebIdentityToken` is not available. */
  global?: boolean;
}

export interface LocalSts {
  /** Endpoint for the AWS SDK (`endpoint`, or `AWS_ENDPOINT_URL_STS`): `http://127.0.0.1:PORT`. */
  url: string;
  region: string;
  /** The per-account issuer (`iss`), like AWS's `https://<id>.tokens.sts.global.api.aws`: no trailing slash. */
  issuerFor(accountId: string): string;
  /** Tokens issued so far. */
  issued(): number;
  /** Turns the accounts' outbound identity federation on or off. */
  setFederationEnabled(enabled: boolean): void;
  close(): Promise<void>;
}

/** The claim namespace of AWS identity claims in these tokens. */
export const STS_CLAIM_NAMESPACE = "https://sts.amazonaws.com/";
const MAX_BODY_BYTES = 64 * 1024;
const ISSUER_PATH = /^\/tokens\/(\d{12})(\/\.well-known\/(?:openid-configuration|jwks\.json))$/;

/**
 * Starts an STS stand-in on loopback for AWS IAM outbound identity federation: `GetWebIdentityToken`
 * over the AWS Query protocol behind the testkit's SigV4 verifier (service `sts`), answering JWTs in
 * the shape AWS documents (IAM User Guide, "Understanding token claims": `iss` per account, `aud`,
 * `sub` = the principal's ARN, `iat`, `exp`, `jti`, and under `https://sts.amazonaws.com/`
 * `aws_account`, `source_region`, `principal_id`, `request_tags`), signed with RS256 or ES384 keys
 * published through OIDC discovery and JWKS at `<issuer>/.well-known/…`. Errors are AWS's XML shapes:
 * `ValidationError`, `AccessDenied` (no permission, an audience or duration the policy's conditions
 * do not allow), `OutboundWebIdentityFederationDisabledException` (403), and, on the global endpoint,
 * a refusal (AWS: "not available on the STS Global endpoint"; its exact code is not documented).
 * For a role session the subject is the role's ARN, as AWS documents for `principal_id`.
 * `SubjectMode=OriginIdentity` is refused: local sessions carry no trusted identity propagation context.
 */
export async function startStsEndpoint(opts: StartStsOptions): Promise<LocalSts> {
  const clock = opts.clock ?? Date;
  const region = opts.region ?? "us-west-2";
  let federationEnabled = opts.federationEnabled ?? true;
  let issuedCount = 0;
  const byKey = new Map<string, LocalIdentity>();
  for (const [i, id] of opts.identities.entries()) {
    if (byKey.has(id.accessKeyId)) throw new TypeError(`"identities[${i}].accessKeyId" is a duplicate`);
    byKey.set(id.accessKeyId, id);
  }
  const keys = await signingKeys();
  let base = "";
  const issuerFor = (accountId: string) => `${base}/tokens/${accountId}`;

  function send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, {
      "content-type": type,
      "content-length": Buffer.byteLength(body),
      "x-amzn-requestid": String(res.getHeader("x-amzn-requestid") ?? ""),
    });
    res.end(body);
  }
  const fail = (res: ServerResponse, requestId: string, error: StsError) =>
    send(res, error.status, "text/xml", xmlError(error, requestId));

  async function mint(
    identity: LocalIdentity,
    request: WebIdentityTokenRequest,
  ): Promise<{ token: string; expiration: Date }> {
    const key = keys[request.signingAlgorithm];
    const principal = normalizePrincipal(identity.principalArn) ?? identity.principalArn;
    const iat = Math.floor(clock.now() / 1000);
    const exp = iat + request.durationSeconds;
    const aws: Record<string, unknown> = {
      aws_account: identity.accountId,
      source_region: region,
      principal_id: principal,
    };
    if (Object.keys(request.tags).length > 0) aws.request_tags = request.tags;
    const token = await new SignJWT({ [STS_CLAIM_NAMESPACE]: aws })
      .setProtectedHeader({ alg: request.signingAlgorithm, kid: key.kid, typ: "JWT" })
      .setIssuer(issuerFor(identity.accountId))
      .setAudience(request.audiences.length === 1 ? (request.audiences[0] as string) : request.audiences)
      .setSubject(principal)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiration: new Date(exp * 1000) };
  }

  async function getWebIdentityToken(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return fail(res, requestId, {
          status: 413,
          code: "RequestEntityTooLarge",
          message: "Request body too large",
        });
      }
      throw error;
    }
    const verdict = verifySigV4(
      { method: req.method ?? "POST", url: req.url ?? "/", rawHeaders: req.rawHeaders, body },
      byKey,
      region,
      clock.now(),
      "sts",
    );
    if (!verdict.ok) return fail(res, requestId, signatureError(verdict.errorType, verdict.body));
    const identity = verdict.identity;
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      return fail(res, requestId, {
        status: 400,
        code: "InvalidParameterValue",
        message: "Content-Type must be application/x-www-form-urlencoded",
      });
    }
    const params = new URLSearchParams(body.toString("utf8"));
    const action = params.get("Action") ?? "";
    if (action !== "GetWebIdentityToken" || params.get("Version") !== STS_VERSION) {
      return fail(res, requestId, {
        status: 400,
        code: "InvalidAction",
        message: `Could not find operation ${action.slice(0, 64)} for version ${String(params.get("Version")).slice(0, 16)}`,
      });
    }
    if (opts.global) {
      return fail(res, requestId, {
        status: 400,
        code: "InvalidAction",
        message:
          "GetWebIdentityToken is not available on the STS global endpoint (sts.amazonaws.com); call a regional endpoint such as sts.us-west-2.amazonaws.com",
      });
    }
    const request = parseWebIdentityTokenRequest(params);
    if ("code" in request) return fail(res, requestId, request);
    const grant = Object.hasOwn(opts.grants, identity.name) ? opts.grants[identity.name] : undefined;
    const allowed =
      grant !== undefined &&
      (grant.audiences === undefined || request.audiences.every((a) => grant.audiences?.includes(a))) &&
      request.durationSeconds <= (grant.maxDurationSeconds ?? 3600);
    if (allowed && Object.keys(request.tags).length > 0 && grant.allowTags !== true) {
      return fail(res, requestId, {
        status: 403,
        code: "AccessDenied",
        message: `User: ${identity.principalArn} is not authorized to perform: sts:TagGetWebIdentityToken because no identity-based policy allows the sts:TagGetWebIdentityToken action`,
      });
    }
    if (!allowed) {
      return fail(res, requestId, {
        status: 403,
        code: "AccessDenied",
        message: `User: ${identity.principalArn} is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action`,
      });
    }
    if (!federationEnabled) {
      return fail(res, requestId, {
        status: 403,
        code: "OutboundWebIdentityFederationDisabledException",
        message:
          "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.",
      });
    }
    if (request.subjectMode === "OriginIdentity") {
      return fail(res, requestId, {
        status: 400,
        code: "ValidationError",
        message:
          "SubjectMode OriginIdentity requires a trusted identity propagation context with aws:OriginIdentity/Subject, which the calling session does not have",
      });
    }
    const { token, expiration } = await mint(identity, request);
    issuedCount++;
    send(
      res,
      200,
      "text/xml",
      xmlResult(
        "GetWebIdentityToken",
        { WebIdentityToken: token, Expiration: expiration.toISOString() },
        requestId,
      ),
    );
  }

  function serveIssuer(res: ServerResponse, accountId: string, document: string): void {
    const issuer = issuerFor(accountId);
    const body =
      document === "/.well-known/jwks.json"
        ? { keys: [keys.RS256.publicJwk, keys.ES384.publicJwk] }
        : {
            issuer,
            jwks_uri: `${issuer}/.well-known/jwks.json`,
            response_types_supported: ["id_token"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256", "ES384"],
            scopes_supported: ["openid"],
          };
    send(res, 200, "application/json", JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader("x-amzn-requestid", requestId);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const issuerMatch = ISSUER_PATH.exec(path);
    void (async () => {
      if (issuerMatch && (req.method === "GET" || req.method === "HEAD")) {
        return serveIssuer(res, issuerMatch[1] as string, issuerMatch[2] as string);
      }
      if (path === "/" && req.method === "POST") return getWebIdentityToken(req, res, requestId);
      return fail(res, requestId, {
        status: 404,
        code: "NotFound",
        message: `No route for ${req.method} ${path.slice(0, 100)}`,
      });
    })().catch(() => {
      if (!res.headersSent)
        fail(res, requestId, {
          status: 500,
          code: "InternalFailure",
          message: "Internal failure",
          type: "Receiver",
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  base = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: base,
    region,
    issuerFor,
    issued: () => issuedCount,
    setFederationEnabled(enabled) {
      federationEnabled = enabled;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** STS's codes for a refused signature (the Lambda-flavoured verdicts of the shared verifier). */
function signatureError(errorType: string, body: unknown): StsError {
  const message = String(
    (body as { message?: unknown; Message?: unknown }).message ??
      (body as { Message?: unknown }).Message ??
      "",
  );
  const code =
    errorType === "InvalidSignatureException"
      ? "SignatureDoesNotMatch"
      : errorType === "IncompleteSignatureException"
        ? "IncompleteSignature"
        : errorType === "UnrecognizedClientException"
          ? "InvalidClientTokenId"
          : "AccessDenied";
  return { status: 403, code, message };
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKeys(): Promise<Record<"RS256" | "ES384", SigningKey>> {
  const make = async (alg: "RS256" | "ES384"): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const kid = randomUUID();
    return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
  };
  return { RS256: await make("RS256"), ES384: await make("ES384") };
}
