import { describe, expect, it } from "vitest";
import { parseBrokerConfig } from "../../src/config/brokerConfig.js";
import { ConfigError } from "../../src/errors/configError.js";
import {
  CALLER_CLAIMS,
  callerIdentityFromClaims,
  callerIdentityOf,
  callerKey,
} from "../../src/identity/callerIdentity.js";
import { summarizeClaims } from "../../src/token/summarize.js";

const A = "123456789012";

describe("Function: callerIdentityOf", () => {
  it("keeps the session name only for IAM Identity Center role sessions", () => {
    expect(
      callerIdentityOf(`arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Dev_0a1b/alice@example.com`),
    ).toEqual({
      caller: `arn:aws:iam::${A}:role/AWSReservedSSO_Dev_0a1b`,
      account: A,
      session: "alice@example.com",
    });
    // Any other session name is whatever the AssumeRole caller chose: it names nobody.
    expect(callerIdentityOf(`arn:aws:sts::${A}:assumed-role/mcp-agent/alice@example.com`)).toEqual({
      caller: `arn:aws:iam::${A}:role/mcp-agent`,
      account: A,
    });
  });

  it("names IAM users, the root and federated users as they are, and nothing for malformed ARNs", () => {
    expect(callerIdentityOf(`arn:aws:iam::${A}:user/ops/bob`)).toEqual({
      caller: `arn:aws:iam::${A}:user/ops/bob`,
      account: A,
    });
    expect(callerIdentityOf(`arn:aws:iam::${A}:root`)?.caller).toBe(`arn:aws:iam::${A}:root`);
    expect(callerIdentityOf(`arn:aws:sts::${A}:federated-user/carol`)?.caller).toBe(
      `arn:aws:sts::${A}:federated-user/carol`,
    );
    for (const bad of ["", "not-an-arn", `arn:aws:s3:::bucket`, `arn:aws:sts::${A}:assumed-role/r`]) {
      expect(callerIdentityOf(bad)).toBeUndefined();
    }
  });

  it("gives two Identity Center users of one role different keys, and two sessions of a plain role one", () => {
    const sso = (s: string) =>
      callerIdentityOf(`arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Dev_0a1b/${s}`);
    const plain = (s: string) => callerIdentityOf(`arn:aws:sts::${A}:assumed-role/mcp-agent/${s}`);
    expect(callerKey(sso("alice")!)).not.toBe(callerKey(sso("bob")!));
    expect(callerKey(plain("i-1")!)).toBe(callerKey(plain("i-2")!));
  });
});

describe("Function: callerIdentityFromClaims", () => {
  it("reads the namespaced claims back, bounded, and nothing from a shared token", () => {
    const claims = {
      [CALLER_CLAIMS.caller]: `arn:aws:iam::${A}:role/mcp-agent`,
      [CALLER_CLAIMS.account]: A,
    };
    expect(callerIdentityFromClaims(claims)).toEqual({
      caller: `arn:aws:iam::${A}:role/mcp-agent`,
      account: A,
    });
    expect(callerIdentityFromClaims({ sub: "client@clients" })).toBeUndefined();
    expect(callerIdentityFromClaims({ [CALLER_CLAIMS.caller]: 42 })).toBeUndefined();
    const long = callerIdentityFromClaims({
      [CALLER_CLAIMS.caller]: "x".repeat(10_000),
      [CALLER_CLAIMS.session]: "s".repeat(500),
    });
    expect(long?.caller.length).toBe(2048);
    expect(long?.session?.length).toBe(64);
  });

  it("is part of summarizeClaims", () => {
    const summary = summarizeClaims(
      {
        [CALLER_CLAIMS.caller]: `arn:aws:iam::${A}:role/r`,
        [CALLER_CLAIMS.account]: A,
        [CALLER_CLAIMS.session]: "alice",
      },
      {},
      0,
    );
    expect(summary.caller).toEqual({ caller: `arn:aws:iam::${A}:role/r`, account: A, session: "alice" });
  });
});

describe("Profile option: identity", () => {
  const profile = (extra: Record<string, unknown>) => ({
    issuer: "https://example.us.auth0.com/",
    audience: "https://mcp.example.com/",
    secretId: "mcp-token/auth0",
    allow: [`arn:aws:iam::${A}:role/mcp-agent`],
    ...extra,
  });

  it("defaults to shared and accepts caller for Auth0 profiles", () => {
    expect(parseBrokerConfig({ profiles: { p: profile({}) } }).profiles.p?.identity).toBe("shared");
    expect(parseBrokerConfig({ profiles: { p: profile({ identity: "caller" }) } }).profiles.p?.identity).toBe(
      "caller",
    );
  });

  it("refuses caller with the oauth2 request style and unknown values, naming the path", () => {
    for (const [extra, message] of [
      [{ identity: "caller", requestStyle: "oauth2" }, /per-caller tokens need requestStyle "auth0"/],
      [{ identity: "person" }, /expected "shared" or "caller"/],
    ] as const) {
      try {
        parseBrokerConfig({ profiles: { p: profile(extra) } });
        throw new Error("expected a ConfigError");
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).issues[0]).toMatchObject({
          path: "profiles.p.identity",
          message: expect.stringMatching(message),
        });
      }
    }
  });
});

describe("summarizeClaims: STS web identity tokens", () => {
  it("reads the principal, account and region from the https://sts.amazonaws.com/ namespace", () => {
    const summary = summarizeClaims(
      {
        sub: `arn:aws:iam::${A}:role/mcp-agent`,
        "https://sts.amazonaws.com/": {
          principal_id: `arn:aws:iam::${A}:role/mcp-agent`,
          aws_account: A,
          source_region: "us-west-2",
          other: 1,
        },
      },
      { typ: "JWT" },
      0,
    );
    expect(summary.aws).toEqual({
      principalId: `arn:aws:iam::${A}:role/mcp-agent`,
      account: A,
      sourceRegion: "us-west-2",
    });
    expect(summarizeClaims({ "https://sts.amazonaws.com/": "x" }, {}, 0).aws).toBeUndefined();
  });
});
