/**
 * SigV4 header fuzzing against the Function URL emulator's verifier (the stand-in for AWS's IAM auth
 * in front of the broker). A request is signed with an independent signer (src/aws/signV4.ts), then
 * mutated: Authorization (algorithm, fields, credential scope, signed headers, signature), x-amz-date,
 * x-amz-security-token, x-amz-content-sha256, duplicated and extra headers, and the request itself
 * after signing. `verifySigV4` runs in-process for volume; a few hundred cases go over HTTP to the
 * emulator in front of the broker runtime.
 *
 * Properties: the verifier never throws; a mutation that changes signed content or breaks the
 * credential is refused with 403/400 and an AWS error type; an equivalent request (canonicalisation,
 * skew inside 5 minutes) is accepted; over HTTP a refused request never reaches the handler.
 */
import { request as httpRequest, validateHeaderName, validateHeaderValue } from "node:http";
import { createRuntime, noopMetrics } from "@mcp-token/broker";
import {
  defaultIdentities,
  type FunctionUrlEmulator,
  type LocalIdentity,
  startFunctionUrlEmulator,
  verifySigV4,
} from "@mcp-token/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { fuzzParameters } from "../../src/fuzz/params.js";
import {
  type BaseRequest,
  MUTATION_FAMILIES,
  type Mutated,
  mutatedRequest,
  validRequest,
  type WireRequest,
} from "../../src/fuzz/sigv4Mutations.js";
import { brokerConfigDocument, randomClientSecret, STACK } from "../../src/stack/brokerStack.js";
import { recordingLogger } from "../../src/stack/recordingLogger.js";
import { heapAfterGc, mib } from "../../src/stats/heap.js";
import { Histogram } from "../../src/stats/histogram.js";

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 10_000);
const HTTP_RUNS = Number(process.env.RELIABILITY_FUZZ_HTTP_RUNS ?? 400);
const audit = new LeakAudit("fuzz-sigv4");
const ids = defaultIdentities({ accountId: STACK.accountId });
const identities = new Map<string, LocalIdentity>(Object.values(ids).map((id) => [id.accessKeyId, id]));
const AWS_ERROR_TYPES = [
  "AccessDeniedException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
];
const verdicts = new Histogram();
const errorTypes = new Histogram();
const kinds = new Histogram();
const figures: Record<string, unknown> = {};
let emulator: FunctionUrlEmulator;

function base(identity: LocalIdentity, method: "GET" | "POST", host: string, now = Date.now()): BaseRequest {
  return {
    method,
    host,
    path: method === "GET" ? "/v1/whoami" : "/v1/token",
    query: method === "GET" ? "a=1&b=%20x" : "",
    body: method === "GET" ? "" : '{"profile":"default"}',
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
    region: STACK.region,
    now,
  };
}

const baseArb = (host: string) =>
  fc
    .tuple(fc.constantFrom(ids.developer, ids.agent), fc.constantFrom<"GET" | "POST">("GET", "POST"))
    .map(([id, m]) => base(id, m, host));

function checkVerdict(m: Mutated, ok: boolean, status?: number, errorType?: string): void {
  kinds.add(m.kind);
  verdicts.add(ok ? "accepted" : "refused");
  if (!ok) {
    errorTypes.add(errorType ?? "none");
    if (status !== 403 && status !== 400) throw new Error(`${m.kind}: refused with status ${status}`);
    if (!errorType || !AWS_ERROR_TYPES.includes(errorType))
      throw new Error(`${m.kind}: error type ${errorType}`);
  }
  if (ok && m.expect === "mustFail") throw new Error(`${m.kind}: a mutated request was accepted`);
  if (!ok && m.expect === "benign")
    throw new Error(`${m.kind}: an equivalent request was refused (${errorType})`);
}

beforeAll(async () => {
  for (const id of Object.values(ids)) audit.sensitive(id.secretAccessKey, id.sessionToken);
  const clientSecret = randomClientSecret();
  const issued = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzaWd2NCJ9.${Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64url")}`;
  audit.sensitive(clientSecret, issued);
  const runtime = createRuntime({
    env: {
      MCP_TOKEN_BROKER_CONFIG: JSON.stringify(
        brokerConfigDocument({ issuerUrl: "https://issuer.fuzz.test/", secretId: "x" }),
      ),
    },
    logger: recordingLogger(audit, "broker"),
    metrics: noopMetrics,
    secrets: { getClientCredentials: async () => ({ clientId: STACK.clientId, clientSecret }) },
    fetch: async () =>
      new Response(JSON.stringify({ access_token: issued, token_type: "Bearer", expires_in: 3600 }), {
        status: 200,
        headers: { "content-type": "application/json" },
      }),
  });
  emulator = await startFunctionUrlEmulator({
    handler: runtime.handler,
    identities: [...identities.values()],
    region: STACK.region,
    accountId: STACK.accountId,
  });
});

afterAll(async () => {
  await emulator?.close();
  const scan = audit.scan();
  writeResult("fuzz-sigv4", "fuzz", "test/fuzz/sigv4.test.ts", {
    surface:
      "Function URL emulator SigV4 verification (Authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256)",
    ...figures,
    mutationFamilies: MUTATION_FAMILIES.length,
    verdicts: verdicts.toJSON(),
    awsErrorTypes: errorTypes.toJSON(),
    mutationKinds: kinds.toJSON(),
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

describe("SigV4 header fuzzing", () => {
  it("the independent signer's requests are accepted (the baseline is valid)", () => {
    for (const id of [ids.developer, ids.agent, ids.outsider]) {
      for (const m of ["GET", "POST"] as const) {
        const r = verifySigV4(
          validRequest(base(id, m, "abc.lambda-url.us-west-2.on.aws")),
          identities,
          STACK.region,
          Date.now(),
        );
        expect(r.ok).toBe(true);
      }
    }
  });

  it(`verifies ${RUNS} mutated signatures in-process: never throws, refuses every changed request, accepts equivalent ones`, async () => {
    const before = heapAfterGc();
    const started = Date.now();
    fc.assert(
      fc.property(
        baseArb("abc.lambda-url.us-west-2.on.aws").chain((b) => mutatedRequest(b)),
        (m) => {
          const r = verifySigV4(m.request, identities, STACK.region, Date.now());
          if (r.ok) checkVerdict(m, true);
          else checkVerdict(m, false, r.status, r.errorType);
        },
      ),
      fuzzParameters(RUNS),
    );
    const after = heapAfterGc();
    Object.assign(figures, {
      cases: RUNS,
      handled: RUNS,
      crashes: 0,
      durationMs: Date.now() - started,
      heapBeforeMiB: mib(before),
      heapAfterMiB: mib(after),
    });
    expect(after).toBeLessThan(before + 32 * 1024 * 1024);
  });

  it(`sends ${HTTP_RUNS} mutated requests over HTTP: only valid or equivalent ones reach the broker`, async () => {
    const url = new URL(emulator.url);
    const sendable = (r: WireRequest) => {
      try {
        for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) {
          validateHeaderName(r.rawHeaders[i] as string);
          validateHeaderValue(r.rawHeaders[i] as string, r.rawHeaders[i + 1] as string);
        }
        return r.rawHeaders.join("").length < 60_000;
      } catch {
        return false;
      }
    };
    const httpVerdicts = new Histogram();
    await fc.assert(
      fc.asyncProperty(
        baseArb(url.host)
          .chain((b) => mutatedRequest(b))
          .filter((m) => sendable(m.request)),
        async (m) => {
          const invocationsBefore = emulator.invocations();
          const res = await send(url, m.request);
          httpVerdicts.add(res.status);
          if (res.status >= 500) throw new Error(`${m.kind}: ${res.status}`);
          const invoked = emulator.invocations() !== invocationsBefore;
          const errorType = res.headers["x-amzn-errortype"] as string | undefined;
          if (invoked) {
            checkVerdict(m, true);
          } else if (errorType) {
            checkVerdict(m, false, res.status, errorType);
          } else {
            // Refused by Node's HTTP layer before the emulator (431 header section too large, 400
            // unparsable framing such as a GET whose body follows without a length).
            if (res.status !== 400 && res.status !== 431)
              throw new Error(`${m.kind}: ${res.status} without error type`);
            if (m.expect === "benign" && res.status !== 431) {
              throw new Error(`${m.kind}: an equivalent request was refused (${res.status})`);
            }
            kinds.add(m.kind);
            verdicts.add(`refused by the HTTP server (${res.status})`);
          }
        },
      ),
      fuzzParameters(HTTP_RUNS),
    );
    const healthy = await send(url, validRequest(base(ids.developer, "GET", url.host)));
    figures.http = {
      cases: HTTP_RUNS,
      statuses: httpVerdicts.toJSON(),
      healthyAfter: healthy.status === 200,
    };
    expect(healthy.status).toBe(200);
  });
});

function send(
  url: URL,
  r: WireRequest,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < r.rawHeaders.length; i += 2)
      headers.push([r.rawHeaders[i] as string, r.rawHeaders[i + 1] as string]);
    // Frame every body (Node sends a GET body unframed otherwise, and it would not be part of the request).
    if (r.body.length > 0) headers.push(["content-length", String(r.body.length)]);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.url,
        headers: headers.flat(),
        setHost: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}
