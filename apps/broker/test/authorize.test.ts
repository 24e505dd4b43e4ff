/**
 * Authorisation decisions are remembered per caller, profile and requested scopes (a warm caller skips
 * ARN parsing and matching), and never leak from one caller or request to another.
 */
import { parseBrokerConfig } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { authorizeTokenRequest, requirePrincipal } from "../src/authorize.js";

const config = parseBrokerConfig({
  profiles: {
    default: {
      issuer: "https://issuer.example/",
      audience: "https://mcp.example/",
      secretId: "s",
      scopes: ["read", "invoke"],
      allow: ["arn:aws:iam::123456789012:role/Dev"],
    },
  },
});
const profile = config.profiles.default;
if (!profile) throw new Error("no profile");
const dev = { userArn: "arn:aws:sts::123456789012:assumed-role/Dev/alice", accountId: "123456789012" };
const other = { userArn: "arn:aws:sts::123456789012:assumed-role/Ops/bob", accountId: "123456789012" };

describe("Function: authorizeTokenRequest", () => {
  it("grants the profile's scopes (sorted, de-duplicated) to an allowed caller and refuses others", () => {
    // Prepare
    const alice = requirePrincipal(dev);
    const bob = requirePrincipal(other);
    // Act
    const first = authorizeTokenRequest(alice, "default", profile, []);
    const again = authorizeTokenRequest(requirePrincipal(dev), "default", profile, []);
    const narrower = authorizeTokenRequest(alice, "default", profile, ["read"]);
    // Assess
    expect(requirePrincipal(dev)).toEqual(alice);
    expect(first).toEqual(["invoke", "read"]);
    expect(again).toEqual(first);
    expect(narrower).toEqual(["read"]);
    expect(() => authorizeTokenRequest(bob, "default", profile, [])).toThrow(
      /not in profiles\.default\.allow/,
    );
    expect(() => authorizeTokenRequest(alice, "default", profile, ["write"])).toThrow(/Scope "write"/);
    expect(() => authorizeTokenRequest(bob, "default", profile, [])).toThrow(
      /not in profiles\.default\.allow/,
    );
  });

  it("reads the account from the identity unless it is not a 12-digit id", () => {
    expect(requirePrincipal({ ...dev, accountId: "bogus" }).accountId).toBe("123456789012");
    expect(requirePrincipal(dev).accountId).toBe("123456789012");
    expect(() => requirePrincipal({ userArn: "arn:aws:s3:::bucket", accountId: "123456789012" })).toThrow(
      /could not be read/,
    );
  });
});
