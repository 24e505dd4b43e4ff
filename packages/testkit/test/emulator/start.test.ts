import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultIdentities, type FunctionUrlEmulator, startFunctionUrlEmulator } from "../../src/index.js";
import { botocoreFetch } from "../helpers/botocore.js";
import { curlSigned } from "../helpers/curl.js";
import { smithyFetch } from "../helpers/smithySign.js";

const ids = defaultIdentities();
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

describe("startFunctionUrlEmulator: SigV4 in front of the handler", () => {
  let fn: FunctionUrlEmulator;
  let skewMs = 0;
  const seen: LambdaFunctionURLEventWithIAMAuthorizer[] = [];

  beforeAll(async () => {
    fn = await startFunctionUrlEmulator({
      identities: Object.values(ids),
      clock: { now: () => Date.now() + skewMs },
      handler: (event) => {
        seen.push(event);
        return { iam: event.requestContext.authorizer.iam };
      },
    });
  });
  afterAll(() => fn.close());
  beforeEach(() => {
    skewMs = 0;
    seen.length = 0;
  });

  it("accepts a request signed by curl --aws-sigv4 and hands authorizer.iam to the handler", async () => {
    // Act
    const res = await curlSigned(ids.developer, `${fn.url}/token?audience=a&profile=default`, {
      body: '{"hello":"world"}',
      headers: { "content-type": "application/json" },
    });
    // Assess
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).iam).toEqual({
      accessKey: ids.developer.accessKeyId,
      accountId: "123456789012",
      callerId: "AROALOCALDEVELOPER001:alice",
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice",
      userId: "AROALOCALDEVELOPER001:alice",
    });
    expect(seen[0]?.body).toBe('{"hello":"world"}');
  });

  it("accepts a request signed by botocore SigV4Auth, with encoded path and query", async () => {
    const res = await botocoreFetch(ids.agent, {
      method: "POST",
      url: `${fn.url}/a%20b/token?z=1&a=x%2Fy&a=2`,
      body: '{"n":1}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).iam.userArn).toBe(
      "arn:aws:sts::123456789012:assumed-role/mcp-agent/agent-session",
    );
    expect(seen[0]?.rawPath).toBe("/a%20b/token");
    expect(seen[0]?.queryStringParameters).toEqual({ z: "1", a: "x/y,2" });
  });

  it("accepts a long-term key without a session token (IAM user)", async () => {
    const res = await botocoreFetch(ids.outsider, { url: `${fn.url}/whoami` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).iam).toMatchObject({
      userArn: ids.outsider.principalArn,
      userId: "AIDALOCALOUTSIDER0001",
    });
  });

  it("accepts a botocore presigned URL (query authentication)", async () => {
    const res = await botocoreFetch(ids.developer, { url: `${fn.url}/presigned?x=1`, presign: true });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).iam.accessKey).toBe(ids.developer.accessKeyId);
  });

  it("accepts a request signed by @smithy/signature-v4 (the AWS SDK signer)", async () => {
    const res = await smithyFetch(`${fn.url}/token?b=2&a=1`, ids.developer, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
  });

  describe("rejects with 403 and never invokes the handler", () => {
    it("when one byte of the body changed after signing", async () => {
      const before = fn.invocations();
      const res = await botocoreFetch(ids.developer, {
        method: "POST",
        url: `${fn.url}/token`,
        body: '{"audience":"x"}',
        headers: { "content-type": "application/json" },
        tamperBody: true,
      });
      expect(res).toEqual({ status: 403, body: JSON.stringify({ message: MISMATCH }) });
      expect(fn.invocations()).toBe(before);
    });

    it("when signed with the wrong secret", async () => {
      const before = fn.invocations();
      const res = await curlSigned({ ...ids.developer, secretAccessKey: "wrong-secret" }, `${fn.url}/token`);
      expect(res).toEqual({ status: 403, body: JSON.stringify({ message: MISMATCH }) });
      expect(fn.invocations()).toBe(before);
    });

    it("when the signature date is 6 minutes old", async () => {
      // Prepare: the emulator's clock runs 6 minutes ahead of the signer's.
      skewMs = 6 * 60 * 1000;
      const before = fn.invocations();
      const res = await curlSigned(ids.developer, `${fn.url}/token`);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      );
      expect(fn.invocations()).toBe(before);
    });

    it("when the signature date is 6 minutes in the future", async () => {
      skewMs = -6 * 60 * 1000;
      const res = await curlSigned(ids.developer, `${fn.url}/token`);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/^Signature not yet current/);
    });

    it("accepts a date 4 minutes old (inside the ±5 minute window)", async () => {
      skewMs = 4 * 60 * 1000;
      const res = await curlSigned(ids.developer, `${fn.url}/token`);
      expect(res.status).toBe(200);
    });

    it("when temporary credentials come without their session token", async () => {
      const before = fn.invocations();
      const viaCurl = await curlSigned(ids.developer, `${fn.url}/token`, { omitToken: true });
      const viaBotocore = await botocoreFetch(ids.agent, { url: `${fn.url}/token`, dropToken: true });
      const invalid = JSON.stringify({ message: "The security token included in the request is invalid." });
      expect(viaCurl).toEqual({ status: 403, body: invalid });
      expect(viaBotocore).toEqual({ status: 403, body: invalid });
      expect(fn.invocations()).toBe(before);
    });

    it("when a presigned URL has expired", async () => {
      skewMs = 6 * 60 * 1000; // botocore presigns for 300 s
      const res = await botocoreFetch(ids.developer, { url: `${fn.url}/presigned`, presign: true });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/^Signature expired/);
    });

    it("when the session token does not match", async () => {
      const res = await curlSigned(
        { ...ids.developer, sessionToken: "someone-elses-token" },
        `${fn.url}/token`,
      );
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toBe("The security token included in the request is invalid.");
    });

    it("when the access key is unknown", async () => {
      const res = await curlSigned(
        { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" },
        `${fn.url}/token`,
      );
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toBe("The security token included in the request is invalid.");
    });

    it("when the request is not signed at all", async () => {
      const before = fn.invocations();
      const res = await fetch(`${fn.url}/token`, { method: "POST", body: "{}" });
      expect(res.status).toBe(403);
      expect(res.headers.get("x-amzn-errortype")).toBe("AccessDeniedException");
      expect(await res.json()).toEqual({ Message: "Forbidden" });
      expect(fn.invocations()).toBe(before);
    });

    it("when signed for another region or service", async () => {
      const otherRegion = await curlSigned(ids.developer, `${fn.url}/token`, { region: "eu-west-1" });
      expect(otherRegion.status).toBe(403);
      const res = await fetch(`${fn.url}/token`, {
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=${ids.outsider.accessKeyId}/20260101/us-west-2/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
          "x-amz-date": "20260101T000000Z",
        },
      });
      expect(res.status).toBe(403);
      expect(seen).toHaveLength(0);
    });

    it("when the Authorization header is malformed", async () => {
      const res = await fetch(`${fn.url}/token`, {
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=abc" },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
    });
  });
});
