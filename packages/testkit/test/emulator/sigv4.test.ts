import { describe, expect, it } from "vitest";
import { canonicalQuery, canonicalUri, signingKey, uriEncode } from "../../src/emulator/sigv4.js";

describe("SigV4 building blocks", () => {
  it("derives the signing key of the AWS documentation example", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (iam, us-east-1, 20150830)
    const key = signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    expect(key.toString("hex")).toBe("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  });

  it("URI-encodes everything but unreserved characters, uppercase hex, UTF-8", () => {
    expect(uriEncode("a-b_c.d~e f/g*é", false)).toBe("a-b_c.d~e%20f%2Fg%2A%C3%A9");
    expect(uriEncode("/a b/", true)).toBe("/a%20b/");
  });

  it("encodes the (already encoded) path again, as for every service but S3", () => {
    expect(canonicalUri("")).toBe("/");
    expect(canonicalUri("/a%20b/c")).toBe("/a%2520b/c");
  });

  it("sorts and strictly re-encodes the query, keeping empty values", () => {
    expect(canonicalQuery("b=2&a=x%2Fy&a=1&flag&c=%7e")).toBe("a=1&a=x%2Fy&b=2&c=~&flag=");
    expect(canonicalQuery("X-Amz-Signature=abc&z=1", "X-Amz-Signature")).toBe("z=1");
  });
});
