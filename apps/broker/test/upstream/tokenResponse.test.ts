import { describe, expect, it } from "vitest";
import { upstreamErrorFromResponse } from "../../src/upstream/tokenResponse.js";

const SECRET = "dflt-secret-0123456789-abcdefghijklmnop";

describe("Function: upstreamErrorFromResponse", () => {
  it("redacts a secret that straddles the length cut (redaction before truncation, issue 14)", () => {
    // Prepare: 14 copies of the secret, then padding, then one more copy across character 600. Cutting
    // first would leave its first 15 characters, which redaction no longer recognises, and the earlier
    // redactions shorten the text enough to pull them into the kept 300 characters.
    const description = `${`${SECRET} `.repeat(14)}${"x".repeat(25)}${SECRET} tail`;
    const body = JSON.stringify({ error: "access_denied", error_description: description });
    // Act
    const error = upstreamErrorFromResponse(403, new Headers(), body, [SECRET], 0);
    // Assess
    expect(error.description).toBeDefined();
    expect(error.description).not.toContain(SECRET.slice(0, 6));
    expect(error.message).not.toContain(SECRET.slice(0, 6));
    expect(error.description?.length).toBeLessThanOrEqual(300);
  });

  it("replaces control characters and escape sequences in issuer text", () => {
    const body = JSON.stringify({ error: "access_denied", error_description: "no\x1b[2J\nGRANTED\x07" });
    const error = upstreamErrorFromResponse(403, new Headers(), body, [], 0);
    expect(error.description).toBe("no GRANTED");
  });
});
