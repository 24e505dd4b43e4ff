/**
 * The STS token source against the testkit's STS stand-in (the real `@aws-sdk/client-sts` command
 * over loopback): caching, refresh on rejection, and each AWS refusal turned into an error naming
 * the fix.
 */
import { ManualClock } from "@mcp-token/core";
import { defaultIdentities, type LocalIdentity, type LocalSts, startStsEndpoint } from "@mcp-token/testkit";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CredentialsError, createStsTokenSource, StsTokenError } from "../../src/index.js";

const ids = defaultIdentities();
const AUD = "https://mcp.example.com/";
let sts: LocalSts;
let global: LocalSts;

beforeAll(async () => {
  const grants = { developer: { audiences: [AUD] }, agent: { audiences: [AUD] } };
  [sts, global] = await Promise.all([
    startStsEndpoint({ identities: Object.values(ids), grants }),
    startStsEndpoint({ identities: Object.values(ids), grants, global: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([sts?.close(), global?.close()]);
});

const credentialsOf = (identity: LocalIdentity) => ({
  accessKeyId: identity.accessKeyId,
  secretAccessKey: identity.secretAccessKey,
  ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("createStsTokenSource", () => {
  it("gets a token naming the caller and serves it from memory until it must be refreshed", async () => {
    const clock = new ManualClock(Date.now());
    const source = createStsTokenSource({
      audience: AUD,
      region: "us-west-2",
      endpoint: sts.url,
      credentials: credentialsOf(ids.agent),
      durationSeconds: 600,
      clock,
    });
    const before = sts.issued();
    const token = await source.getToken();
    expect(await source.getToken()).toBe(token);
    expect(sts.issued() - before).toBe(1);
    expect(decodeJwt(token)).toMatchObject({
      aud: AUD,
      iss: sts.issuerFor(ids.agent.accountId),
      sub: `arn:aws:iam::${ids.agent.accountId}:role/mcp-agent`,
      "https://sts.amazonaws.com/": { principal_id: `arn:aws:iam::${ids.agent.accountId}:role/mcp-agent` },
    });
    const response = await source.getTokenResponse();
    expect(response).toMatchObject({ token_type: "Bearer", profile: "sts", scope: "" });
    expect(response.expires_in).toBeLessThanOrEqual(600);
    // A rejected token is replaced by a new one.
    await source.invalidate(token);
    const next = await source.getToken();
    expect(next).not.toBe(token);
    expect(sts.issued() - before).toBe(2);
    // Past the min TTL (300 s of 600), a new one is fetched.
    clock.advance(301_000);
    await source.getToken();
    expect(sts.issued() - before).toBe(3);
    expect(source.sts).toMatchObject({ region: "us-west-2", audiences: [AUD], durationSeconds: 600 });
  });

  it("names the fix when the principal lacks the permission, and when federation is off", async () => {
    const outsider = createStsTokenSource({
      audience: AUD,
      region: "us-west-2",
      endpoint: sts.url,
      credentials: credentialsOf(ids.outsider),
    });
    const denied = await failure(outsider.getToken());
    expect(denied).toBeInstanceOf(StsTokenError);
    expect(denied).toMatchObject({ code: "ERR_STS_ACCESS_DENIED", awsCode: "AccessDenied" });
    expect(denied.message).toMatch(
      /needs sts:GetWebIdentityToken for audience https:\/\/mcp\.example\.com\//,
    );

    sts.setFederationEnabled(false);
    try {
      const source = createStsTokenSource({
        audience: AUD,
        region: "us-west-2",
        endpoint: sts.url,
        credentials: credentialsOf(ids.developer),
      });
      const disabled = await failure(source.getToken());
      expect(disabled).toMatchObject({ code: "ERR_STS_FEDERATION_DISABLED" });
      expect(disabled.message).toContain("aws iam enable-outbound-web-identity-federation");
    } finally {
      sts.setFederationEnabled(true);
    }
  });

  it("refuses the global endpoint, before any call and when STS answers from it", async () => {
    expect(() => createStsTokenSource({ audience: AUD, region: "aws-global" })).toThrow(StsTokenError);
    expect(() =>
      createStsTokenSource({ audience: AUD, region: "us-east-1", endpoint: "https://sts.amazonaws.com" }),
    ).toThrow(/not available on the STS global endpoint \(sts\.amazonaws\.com\)/);
    const viaGlobal = createStsTokenSource({
      audience: AUD,
      region: "us-west-2",
      endpoint: global.url,
      credentials: credentialsOf(ids.developer),
    });
    expect(await failure(viaGlobal.getToken())).toMatchObject({ code: "ERR_STS_GLOBAL_ENDPOINT" });
  });

  it("turns a bad signature into a credentials error", async () => {
    const forged = createStsTokenSource({
      audience: AUD,
      region: "us-west-2",
      endpoint: sts.url,
      credentials: {
        ...credentialsOf(ids.developer),
        secretAccessKey: "not-the-secret-0000000000000000000000000",
      },
    });
    expect(await failure(forged.getToken())).toBeInstanceOf(CredentialsError);
  });

  it.each([
    [{ audience: [] }, /"audience" must be 1 to 10/],
    [{ audience: Array.from({ length: 11 }, (_, i) => `a${i}`) }, /"audience" must be 1 to 10/],
    [{ audience: AUD, durationSeconds: 30 }, /"durationSeconds" must be an integer from 60 to 3600/],
    [
      { audience: AUD, durationSeconds: 600, minTtlSeconds: 600 },
      /"minTtlSeconds" must be an integer from 0 to below/,
    ],
    [{ audience: AUD, region: "Oregon" }, /needs a regional STS endpoint/],
    [{ audience: AUD, endpoint: "not a url" }, /"endpoint" must be a URL/],
  ])("validates its options: %j", (options, message) => {
    expect(() => createStsTokenSource({ region: "us-west-2", ...options })).toThrow(message);
  });
});
