import { randomBytes, randomUUID } from "node:crypto";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { type LocalIdentity, userIdOf } from "./identities.js";

/** Content types Lambda passes as text; everything else arrives base64-encoded. */
const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|javascript|xml|yaml|x-yaml|x-www-form-urlencoded|graphql)\b/,
  /^application\/[^;]*\+(json|xml|yaml)\b/,
];

export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.trim().toLowerCase();
  return TEXT_TYPES.some((re) => re.test(type));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "12/Mar/2020:19:03:58 +0000", the `requestContext.time` format. */
export function formatRequestTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A fresh X-Ray style trace id, `Root=1-<8 hex time>-<24 hex>`. */
export function traceId(nowMs: number): string {
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}

export interface EventInput {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  identity: LocalIdentity;
  nowMs: number;
  requestId: string;
  traceId: string;
  /** Function owner's account (`requestContext.accountId`). */
  accountId: string;
  /** The Function URL id (`apiId`, `domainPrefix`). */
  urlId: string;
  region: string;
  forwardedPort: number;
}

/** Build the payload-format-2.0 event a Function URL with `AWS_IAM` auth hands to the function. */
export function buildFunctionUrlEvent(input: EventInput): LambdaFunctionURLEventWithIAMAuthorizer {
  const q = input.url.indexOf("?");
  const rawPath = q < 0 ? input.url : input.url.slice(0, q);
  const rawQueryString = q < 0 ? "" : input.url.slice(q + 1);

  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const name = (input.rawHeaders[i] as string).toLowerCase();
    const value = input.rawHeaders[i + 1] as string;
    if (name === "cookie") {
      for (const c of value.split(";")) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  headers["x-amzn-trace-id"] = input.traceId;
  headers["x-forwarded-for"] = input.sourceIp;
  headers["x-forwarded-proto"] = "http";
  headers["x-forwarded-port"] = String(input.forwardedPort);

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
    }
  }

  const hasBody = input.body.length > 0;
  const text = isTextContentType(headers["content-type"]);
  const userId = userIdOf(input.identity);

  const event: LambdaFunctionURLEventWithIAMAuthorizer = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: input.accountId,
      apiId: input.urlId,
      authorizer: {
        iam: {
          accessKey: input.identity.accessKeyId,
          accountId: input.identity.accountId,
          callerId: input.identity.callerId ?? userId,
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: input.identity.principalArn,
          userId,
        },
      },
      domainName: `${input.urlId}.lambda-url.${input.region}.on.aws`,
      domainPrefix: input.urlId,
      http: {
        method: input.method.toUpperCase(),
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: input.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: input.requestId,
      routeKey: "$default",
      stage: "$default",
      time: formatRequestTime(input.nowMs),
      timeEpoch: input.nowMs,
    },
    ...(hasBody ? { body: text ? input.body.toString("utf8") : input.body.toString("base64") } : {}),
    isBase64Encoded: hasBody && !text,
  } as unknown as LambdaFunctionURLEventWithIAMAuthorizer; // real events carry principalOrgId: null
  return event;
}

/** A random 32-character Function URL id, like `abcdefghijklmnopqrstuvwxyz012345`. */
export function newUrlId(): string {
  return randomBytes(20)
    .toString("hex")
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 32);
}

export { randomUUID as newRequestId };
