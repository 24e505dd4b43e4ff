/**
 * A realistic population of broker callers, for the benchmarks that should see what users see rather than
 * one replayed event: a broker configuration with several profiles (both request styles, both token
 * profiles, profiles with and without scopes), the issuer APIs and client grant behind it, 1,000 distinct
 * IAM principals (IAM Identity Center sessions of three permission sets, assumed-role sessions of three
 * roles, one of them in a second account), each allowed on the profiles it calls, and Function URL
 * events for them built on an event captured from the testkit emulator, with a fresh request id, trace
 * id, date and signature per invocation.
 *
 * Everything here is pure and deterministic for a seed, so the runner (which writes the configuration)
 * and a worker process (which regenerates the same callers from the seed) agree without passing 1,000
 * callers through the environment. It imports no workspace package, so a measured worker loads nothing
 * but the broker bundle.
 */
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { mulberry32, pick, randomHex } from "./random.js";

/** The account of the broker and of most callers (the local stack's). */
export const FLEET_ACCOUNT = "123456789012";
/** A second account whose CI role deploys through the broker. */
export const CI_ACCOUNT = "210987654321";
/** The M2M client every profile's secret holds. */
export const FLEET_CLIENT_ID = "bench-fleet-client";
/** Issued tokens' lifetime: long enough that nothing expires or refreshes during a benchmark. */
export const FLEET_TOKEN_LIFETIME_SECONDS = 3600;

/** One profile of the fleet's broker configuration, with what the issuer needs to serve it. */
export interface FleetProfile {
  name: string;
  audience: string;
  /** The issuer's token profile for the audience. */
  tokenProfile: "rfc9068" | "auth0";
  requestStyle: "auth0" | "oauth2";
  scopes: readonly string[];
  allow: readonly string[];
}

const sso = (permissionSet: string) =>
  `arn:aws:sts::${FLEET_ACCOUNT}:assumed-role/AWSReservedSSO_${permissionSet}_*/*`;

/** The profiles, in configuration order. */
export const FLEET_PROFILES: readonly FleetProfile[] = [
  {
    name: "default",
    audience: "https://mcp.bench.mcp-token.dev/",
    tokenProfile: "rfc9068",
    requestStyle: "auth0",
    scopes: ["mcp:invoke", "mcp:read", "mcp:write"],
    allow: [sso("Developer"), `arn:aws:iam::${FLEET_ACCOUNT}:role/mcp-agent`],
  },
  {
    name: "analytics",
    audience: "https://analytics.bench.mcp-token.dev/",
    tokenProfile: "rfc9068",
    requestStyle: "auth0",
    scopes: ["reports:read", "reports:export"],
    allow: [sso("Analyst"), sso("Developer"), `arn:aws:iam::${FLEET_ACCOUNT}:role/report-*`],
  },
  {
    name: "deploy",
    audience: "https://deploy.bench.mcp-token.dev/",
    tokenProfile: "rfc9068",
    requestStyle: "oauth2",
    scopes: ["deploy:plan", "deploy:apply"],
    allow: [sso("Admin"), `arn:aws:iam::${CI_ACCOUNT}:role/ci-deploy`],
  },
  {
    name: "legacy",
    audience: "https://legacy.bench.mcp-token.dev/",
    tokenProfile: "auth0",
    requestStyle: "auth0",
    scopes: [],
    allow: [sso("Developer"), `arn:aws:iam::${FLEET_ACCOUNT}:role/mcp-agent`],
  },
];

/** The broker configuration document for the fleet, every profile on one issuer and one secret. */
export function fleetBrokerConfig(opts: { issuer: string; secretId: string }): {
  profiles: Record<string, unknown>;
} {
  const profiles: Record<string, unknown> = {};
  for (const p of FLEET_PROFILES) {
    profiles[p.name] = {
      issuer: opts.issuer,
      audience: p.audience,
      secretId: opts.secretId,
      scopes: [...p.scopes],
      requestStyle: p.requestStyle,
      allow: [...p.allow],
      minTtlSeconds: 300,
    };
  }
  return { profiles };
}

/** The issuer's APIs and the client grant (every profile's audience and scopes) for `startIssuer`. */
export function fleetIssuerSetup(clientSecret: string): {
  apis: { audience: string; profile: "rfc9068" | "auth0"; ttlSeconds: number; scopes: string[] }[];
  clients: { clientId: string; clientSecret: string; grants: Record<string, string[]> }[];
} {
  return {
    apis: FLEET_PROFILES.map((p) => ({
      audience: p.audience,
      profile: p.tokenProfile,
      ttlSeconds: FLEET_TOKEN_LIFETIME_SECONDS,
      scopes: [...p.scopes],
    })),
    clients: [
      {
        clientId: FLEET_CLIENT_ID,
        clientSecret,
        grants: Object.fromEntries(FLEET_PROFILES.map((p) => [p.audience, [...p.scopes]])),
      },
    ],
  };
}

/** A token request body as mcp-token clients send it (`POST /v1/token`). */
export interface FleetTokenRequest {
  profile: string;
  scopes?: string[];
  minTtlSeconds?: number;
}

/** One caller: an IAM principal with temporary credentials and the token requests it makes. */
export interface FleetCaller {
  kind: "sso-session" | "role-session";
  principalArn: string;
  accountId: string;
  /** `authorizer.iam.userId`: `AROA…:<session>`. */
  userId: string;
  /** `ASIA…` (temporary credentials). */
  accessKeyId: string;
  sessionToken: string;
  /** One or two requests, each for a profile whose `allow` admits the caller. */
  requests: FleetTokenRequest[];
}

interface CallerGroup {
  kind: FleetCaller["kind"];
  account: string;
  /** The role name (for IAM Identity Center, the permission set's reserved role). */
  role: string;
  count: number;
  profiles: readonly string[];
  session: (n: number, random: () => number) => string;
}

/** Who calls: 700 IAM Identity Center sessions and 300 assumed-role sessions (sum 1,000). */
const GROUPS: readonly CallerGroup[] = [
  {
    kind: "sso-session",
    account: FLEET_ACCOUNT,
    role: "AWSReservedSSO_Developer_0123456789abcdef",
    count: 450,
    profiles: ["default", "analytics", "legacy"],
    session: (n) => `developer${n}@example.com`,
  },
  {
    kind: "sso-session",
    account: FLEET_ACCOUNT,
    role: "AWSReservedSSO_Analyst_fedcba9876543210",
    count: 200,
    profiles: ["analytics"],
    session: (n) => `analyst${n}@example.com`,
  },
  {
    kind: "sso-session",
    account: FLEET_ACCOUNT,
    role: "AWSReservedSSO_Admin_00112233aabbccdd",
    count: 50,
    profiles: ["deploy"],
    session: (n) => `admin${n}@example.com`,
  },
  {
    kind: "role-session",
    account: FLEET_ACCOUNT,
    role: "mcp-agent",
    count: 200,
    profiles: ["default", "legacy"],
    session: (_n, random) => `agent-${randomHex(random, 8)}`,
  },
  {
    kind: "role-session",
    account: FLEET_ACCOUNT,
    role: "report-builder",
    count: 60,
    profiles: ["analytics"],
    session: (n) => `nightly-report-${n}`,
  },
  {
    kind: "role-session",
    account: CI_ACCOUNT,
    role: "ci-deploy",
    count: 40,
    profiles: ["deploy"],
    session: (_n, random) => `GitHubActions-${Math.floor(random() * 1e10)}`,
  },
];

/** The number of callers {@link fleetCallers} makes. */
export const FLEET_SIZE = GROUPS.reduce((n, g) => n + g.count, 0);

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const upperId = (random: () => number, length: number) =>
  Array.from({ length }, () => pick(random, [...UPPER])).join("");

function profileByName(name: string): FleetProfile {
  const p = FLEET_PROFILES.find((x) => x.name === name);
  if (!p) throw new Error(`no fleet profile ${name}`);
  return p;
}

/** A request for `profile`: all its scopes (no `scopes` field) half the time, else a non-empty subset. */
function drawRequest(random: () => number, profile: FleetProfile): FleetTokenRequest {
  const request: FleetTokenRequest = { profile: profile.name };
  if (profile.scopes.length > 0 && random() < 0.5) {
    const subset = profile.scopes.filter(() => random() < 0.5);
    request.scopes = subset.length > 0 ? subset : [pick(random, profile.scopes)];
  }
  // Some clients ask for more headroom than the profile's default.
  if (random() < 0.1) request.minTtlSeconds = 600;
  return request;
}

/** The fleet's callers, deterministic for `seed`; see the module comment. */
export function fleetCallers(seed: number): FleetCaller[] {
  const random = mulberry32(seed);
  const callers: FleetCaller[] = [];
  for (const group of GROUPS) {
    const roleId = upperId(random, 17);
    for (let n = 1; n <= group.count; n++) {
      const session = group.session(n, random);
      const first = profileByName(pick(random, group.profiles));
      const requests = [drawRequest(random, first)];
      if (group.profiles.length > 1 && random() < 0.3) {
        const second = profileByName(
          pick(
            random,
            group.profiles.filter((p) => p !== first.name),
          ),
        );
        requests.push(drawRequest(random, second));
      }
      callers.push({
        kind: group.kind,
        principalArn: `arn:aws:sts::${group.account}:assumed-role/${group.role}/${session}`,
        accountId: group.account,
        userId: `AROA${roleId}:${session}`,
        accessKeyId: `ASIA${upperId(random, 16)}`,
        sessionToken: `IQoJb3JpZ2luX2Vj${randomHex(random, 48)}`,
        requests,
      });
    }
  }
  return callers;
}

/** The scopes a request gets: those it names, else all of its profile's (what the broker caches under). */
export function effectiveScopes(request: FleetTokenRequest): readonly string[] {
  return request.scopes ?? profileByName(request.profile).scopes;
}

/** What changes from one invocation to the next, as the Function URL and Lambda hand it over. */
export interface FleetInvocation {
  requestId: string;
  /** `Root=1-<8 hex>-<24 hex>` (the `x-amzn-trace-id` header). */
  traceId: string;
  nowMs: number;
  /** 64 hex characters: the request's SigV4 signature. */
  signature: string;
}

/** A fresh invocation's ids, drawn from `random` (the request id is a version-4 UUID). */
export function newInvocation(random: () => number, nowMs: number): FleetInvocation {
  const h = randomHex(random, 16);
  const requestId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return {
    requestId,
    traceId: `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${randomHex(random, 12)}`,
    nowMs,
    signature: randomHex(random, 32),
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The Function URL event of `method path` (with a JSON `body`) by `caller`, built on `template` (an event
 * the testkit emulator produced: its URL id, domain, source IP and header set), as a new object sharing
 * nothing with the template.
 */
export function fleetEvent(
  template: LambdaFunctionURLEventWithIAMAuthorizer,
  caller: FleetCaller,
  request: { method: "GET" | "POST"; path: string; body?: string },
  invocation: FleetInvocation,
): LambdaFunctionURLEventWithIAMAuthorizer {
  const at = new Date(invocation.nowMs);
  const iso = at.toISOString();
  const amzDate = `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`;
  const region =
    /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(template.requestContext.domainName)?.[1] ?? "us-east-1";
  const p = (n: number) => String(n).padStart(2, "0");
  const time = `${p(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} +0000`;
  const userAgent = "mcp-token-client/0.1.0";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers)) {
    if (value !== undefined && name !== "content-length" && name !== "content-type") headers[name] = value;
  }
  const signed = ["accept", "host", "x-amz-date", "x-amz-security-token"];
  if (request.body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(request.body));
    signed.splice(1, 0, "content-type");
  }
  Object.assign(headers, {
    accept: "application/json",
    "user-agent": userAgent,
    "x-amz-date": amzDate,
    "x-amz-security-token": caller.sessionToken,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${caller.accessKeyId}/${amzDate.slice(0, 8)}/${region}/lambda/aws4_request, ` +
      `SignedHeaders=${signed.join(";")}, Signature=${invocation.signature}`,
    "x-amzn-trace-id": invocation.traceId,
    // What AWS sends, where the emulator (plain HTTP on loopback) sends its own.
    host: template.requestContext.domainName,
    "x-forwarded-for": template.requestContext.http.sourceIp,
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
  });
  const ctx = template.requestContext;
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: request.path,
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      authorizer: {
        iam: {
          accessKey: caller.accessKeyId,
          accountId: caller.accountId,
          callerId: caller.userId,
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: caller.principalArn,
          userId: caller.userId,
        },
      },
      domainName: ctx.domainName,
      domainPrefix: ctx.domainPrefix,
      http: {
        method: request.method,
        path: request.path,
        protocol: "HTTP/1.1",
        sourceIp: ctx.http.sourceIp,
        userAgent,
      },
      requestId: invocation.requestId,
      routeKey: "$default",
      stage: "$default",
      time,
      timeEpoch: invocation.nowMs,
    },
    ...(request.body !== undefined && { body: request.body }),
    isBase64Encoded: false,
  };
  return event as unknown as LambdaFunctionURLEventWithIAMAuthorizer;
}

/** The `POST /v1/token` event of `caller` sending `request`. */
export function tokenRequestEvent(
  template: LambdaFunctionURLEventWithIAMAuthorizer,
  caller: FleetCaller,
  request: FleetTokenRequest,
  invocation: FleetInvocation,
): LambdaFunctionURLEventWithIAMAuthorizer {
  return fleetEvent(
    template,
    caller,
    { method: "POST", path: "/v1/token", body: JSON.stringify(request) },
    invocation,
  );
}
