/**
 * The STS stand-in through the real AWS SDK: `@aws-sdk/client-sts`'s `GetWebIdentityTokenCommand`
 * (Query protocol, SigV4 for service `sts`) against it, the JWT verified with jose against its
 * discovery and JWKS, and AWS's errors parsed into the SDK's own exception classes.
 */
import {
  GetWebIdentityTokenCommand,
  OutboundWebIdentityFederationDisabledException,
  STSClient,
  STSServiceException,
} from "@aws-sdk/client-sts";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultIdentities, type LocalIdentity, type LocalSts, startStsEndpoint } from "../../src/index.js";

const ids = defaultIdentities();
const A = ids.developer.accountId;
const AUD = "https://mcp.example.com/";
let sts: LocalSts;
let global: LocalSts;

beforeAll(async () => {
  const grants = {
    developer: { audiences: [AUD, "https://other.example.com/"], allowTags: true },
    agent: { audiences: [AUD], maxDurationSeconds: 900 },
  };
  [sts, global] = await Promise.all([
    startStsEndpoint({ identities: Object.values(ids), grants }),
    startStsEndpoint({ identities: Object.values(ids), grants, global: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([sts?.close(), global?.close()]);
});

function client(identity: LocalIdentity, endpoint = sts.url): STSClient {
  return new STSClient({
    region: "us-west-2",
    endpoint,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
    maxAttempts: 1,
  });
}

async function rejection(promise: Promise<unknown>): Promise<STSServiceException> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(STSServiceException);
    return error as STSServiceException;
  }
  throw new Error("expected the call to fail");
}

describe("startStsEndpoint: GetWebIdentityToken", () => {
  it("answers the SDK's command with a JWT in AWS's shape, verifiable through discovery", async () => {
    // Act
    const out = await client(ids.developer).send(
      new GetWebIdentityTokenCommand({
        Audience: [AUD],
        SigningAlgorithm: "RS256",
        DurationSeconds: 600,
        Tags: [{ Key: "team", Value: "platform" }],
      }),
    );
    // Assess
    const token = out.WebIdentityToken as string;
    const issuer = sts.issuerFor(A);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(issuer);
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(discovery.jwks_uri)),
      { issuer, audience: AUD },
    );
    const role = `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0123456789abcdef`;
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({
      aud: AUD,
      sub: role,
      "https://sts.amazonaws.com/": {
        aws_account: A,
        source_region: "us-west-2",
        principal_id: role,
        request_tags: { team: "platform" },
      },
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(typeof payload.jti).toBe("string");
    expect(out.Expiration?.getTime()).toBe(payload.exp! * 1000);
  });

  it("signs ES384 on request, with several audiences as an array", async () => {
    const out = await client(ids.developer).send(
      new GetWebIdentityTokenCommand({
        Audience: [AUD, "https://other.example.com/"],
        SigningAlgorithm: "ES384",
      }),
    );
    const token = out.WebIdentityToken as string;
    expect(decodeProtectedHeader(token).alg).toBe("ES384");
    const { payload } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${sts.issuerFor(A)}/.well-known/jwks.json`)),
    );
    expect(payload.aud).toEqual([AUD, "https://other.example.com/"]);
    expect(payload.exp! - payload.iat!).toBe(300); // the default duration
  });

  it("refuses a principal without the permission with AWS's AccessDenied", async () => {
    const error = await rejection(
      client(ids.outsider).send(
        new GetWebIdentityTokenCommand({ Audience: [AUD], SigningAlgorithm: "RS256" }),
      ),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      `User: ${ids.outsider.principalArn} is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action`,
    );
  });

  it("refuses an audience, or a duration, outside what the policy's conditions allow", async () => {
    const audience = await rejection(
      client(ids.agent).send(
        new GetWebIdentityTokenCommand({
          Audience: ["https://other.example.com/"],
          SigningAlgorithm: "RS256",
        }),
      ),
    );
    expect(audience.name).toBe("AccessDenied");
    const duration = await rejection(
      client(ids.agent).send(
        new GetWebIdentityTokenCommand({ Audience: [AUD], SigningAlgorithm: "RS256", DurationSeconds: 1800 }),
      ),
    );
    expect(duration.name).toBe("AccessDenied");
  });

  it("needs sts:TagGetWebIdentityToken to pass tags", async () => {
    const error = await rejection(
      client(ids.agent).send(
        new GetWebIdentityTokenCommand({
          Audience: [AUD],
          SigningAlgorithm: "RS256",
          Tags: [{ Key: "k", Value: "v" }],
        }),
      ),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toContain("sts:TagGetWebIdentityToken");
  });

  it("answers OutboundWebIdentityFederationDisabledException while federation is off", async () => {
    sts.setFederationEnabled(false);
    try {
      const error = await rejection(
        client(ids.developer).send(
          new GetWebIdentityTokenCommand({ Audience: [AUD], SigningAlgorithm: "RS256" }),
        ),
      );
      expect(error).toBeInstanceOf(OutboundWebIdentityFederationDisabledException);
      expect(error.$metadata.httpStatusCode).toBe(403);
    } finally {
      sts.setFederationEnabled(true);
    }
  });

  it.each([
    ["no audience", { Audience: [], SigningAlgorithm: "RS256" }, /at 'audience'/],
    [
      "eleven audiences",
      { Audience: Array.from({ length: 11 }, (_, i) => `a${i}`), SigningAlgorithm: "RS256" },
      /less than or equal to 10/,
    ],
    [
      "a short duration",
      { Audience: [AUD], SigningAlgorithm: "RS256", DurationSeconds: 59 },
      /between 60 and 3600/,
    ],
    [
      "a long duration",
      { Audience: [AUD], SigningAlgorithm: "RS256", DurationSeconds: 3601 },
      /between 60 and 3600/,
    ],
    ["an unknown algorithm", { Audience: [AUD], SigningAlgorithm: "HS256" }, /RS256, ES384/],
    [
      "OriginIdentity without a propagated identity",
      { Audience: [AUD], SigningAlgorithm: "RS256", SubjectMode: "OriginIdentity" as const },
      /trusted identity propagation/,
    ],
    [
      "an oversize audience",
      { Audience: ["x".repeat(1001)], SigningAlgorithm: "RS256" },
      /between 1 and 1000/,
    ],
  ])("answers ValidationError for %s", async (_name, input, message) => {
    const error = await rejection(client(ids.developer).send(new GetWebIdentityTokenCommand(input)));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toMatch(message);
  });

  it("is not available on the global endpoint", async () => {
    const error = await rejection(
      client(ids.developer, global.url).send(
        new GetWebIdentityTokenCommand({ Audience: [AUD], SigningAlgorithm: "RS256" }),
      ),
    );
    expect(error.name).toBe("InvalidAction");
    expect(error.message).toMatch(/not available on the STS global endpoint/);
  });

  it("refuses a signature for another service or a wrong key, like STS", async () => {
    const forged = { ...ids.developer, secretAccessKey: "wrong-secret-key-000000000000000000000000" };
    const error = await rejection(
      client(forged).send(new GetWebIdentityTokenCommand({ Audience: [AUD], SigningAlgorithm: "RS256" })),
    );
    expect(error.name).toBe("SignatureDoesNotMatch");
    const unsigned = await fetch(`${sts.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=x&SigningAlgorithm=RS256",
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(
      /<Code>(IncompleteSignature|AccessDenied|MissingAuthenticationToken)<\/Code>/,
    );
    expect(sts.issued()).toBe(2);
  });
});
