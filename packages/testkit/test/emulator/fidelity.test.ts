/**
 * Issue 14: the Function URL emulator is exactly as strict as Lambda, so a local green never hides an
 * AWS red. Each case states what AWS does. Requests are signed by @smithy/signature-v4 (the AWS SDK's
 * signer) and then sent with raw headers, so a case can add, repeat or alter exactly one thing.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultIdentities, type FunctionUrlEmulator, startFunctionUrlEmulator } from "../../src/index.js";
import { smithySignHeaders } from "../helpers/smithySign.js";

const ids = defaultIdentities();
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

let fn: FunctionUrlEmulator;
const seenPaths: string[] = [];
const seenQueries: string[] = [];

beforeAll(async () => {
  fn = await startFunctionUrlEmulator({
    identities: Object.values(ids),
    handler: (event) => {
      seenPaths.push(event.rawPath);
      seenQueries.push(event.rawQueryString);
      return { ok: true };
    },
  });
});
afterAll(() => fn.close());

/** Sends `target` (path + query, as written) with exactly `headers` (pairs, repeats allowed). */
function send(
  method: string,
  target: string,
  headers: [string, string][],
  body = "",
): Promise<{ status: number; body: string }> {
  const url = new URL(fn.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: target, headers: headers.flat() },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function signed(
  identity: (typeof ids)[keyof typeof ids],
  method: string,
  signTarget: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<[string, string][]> {
  const h = await smithySignHeaders(`${fn.url}${signTarget}`, identity, {
    method,
    ...(opts.headers && { headers: opts.headers }),
    ...(opts.body !== undefined && { body: opts.body }),
  });
  return [["host", new URL(fn.url).host], ...Object.entries(h)];
}

describe("Function URL emulator fidelity (issue 14)", () => {
  it("accepts a correctly signed request (baseline for every case below)", async () => {
    const res = await send("GET", "/v1/whoami", await signed(ids.agent, "GET", "/v1/whoami"));
    expect(res.status).toBe(200);
  });

  it("refuses x-amz-content-sha256: UNSIGNED-PAYLOAD (Lambda hashes the body; unsigned payloads are an S3 convention)", async () => {
    const before = fn.invocations();
    const body = '{"profile":"default"}';
    const headers = await signed(ids.agent, "POST", "/v1/token", {
      headers: { "content-type": "application/json", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      body,
    });
    const res = await send("POST", "/v1/token", headers, body);
    expect(res).toEqual({ status: 403, body: JSON.stringify({ message: MISMATCH }) });
    expect(fn.invocations()).toBe(before);
  });

  it("refuses an x-amz-* header that is not among the signed headers", async () => {
    const before = fn.invocations();
    const headers = await signed(ids.agent, "GET", "/v1/whoami");
    const res = await send("GET", "/v1/whoami", [...headers, ["x-amz-meta-injected", "1"]]);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toBe(
      "There were headers present in the request which were not signed: x-amz-meta-injected",
    );
    expect(fn.invocations()).toBe(before);
  });

  it.each(["authorization", "x-amz-date"])("refuses a repeated %s header", async (name) => {
    const before = fn.invocations();
    const headers = await signed(ids.agent, "GET", "/v1/whoami");
    const original = headers.find(([n]) => n.toLowerCase() === name) as [string, string];
    const res = await send("GET", "/v1/whoami", [...headers, [name, original[1]]]);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toBe(`The request must contain exactly one '${name}' header.`);
    expect(fn.invocations()).toBe(before);
  });

  it("normalises //v1/token as the AWS signer does, and hands the function the path as sent", async () => {
    // @smithy/signature-v4 signs "//v1/token" with the canonical URI "/v1/token" (empty segments
    // removed); AWS verifies the same normalised form and Lambda puts the raw path in the event.
    const headers = await signed(ids.agent, "GET", "//v1/token");
    seenPaths.length = 0;
    const res = await send("GET", "//v1/token", headers);
    expect(res.status).toBe(200);
    expect(seenPaths).toEqual(["//v1/token"]);
  });

  it("reads a raw '+' in the query as a space (as AWS's SigV4 signers do); only %2B is a plus", async () => {
    // Sources: curl's SigV4 canonicalisation, the AWS SDK for Go v1 and Rust signers, and a report of a
    // Function URL event carrying "q=a b" for "q=a+b" (inferred, not an AWS statement).
    const asSpace = await signed(ids.agent, "GET", "/v1/token?scope=a%20b");
    seenQueries.length = 0;
    expect((await send("GET", "/v1/token?scope=a+b", asSpace)).status).toBe(200);
    expect(seenQueries).toEqual(["scope=a+b"]);
    const asPlus = await signed(ids.agent, "GET", "/v1/token?scope=a%2Bb");
    expect((await send("GET", "/v1/token?scope=a+b", asPlus)).status).toBe(403);
    expect((await send("GET", "/v1/token?scope=a%2Bb", asPlus)).status).toBe(200);
  });

  it("answers an authenticated identity without the invoke grant with Lambda's 403 Forbidden; the handler never runs", async () => {
    const before = fn.invocations();
    const res = await send("GET", "/v1/whoami", await signed(ids.bystander, "GET", "/v1/whoami"));
    expect(res).toEqual({ status: 403, body: JSON.stringify({ Message: "Forbidden" }) });
    expect(fn.invocations()).toBe(before);
  });
});
