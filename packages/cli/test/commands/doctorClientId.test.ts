import type { TokenSummary } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { clientIdFix } from "../../src/commands/doctor/mcpCheck.js";

const base: TokenSummary = { audience: [], scopes: [] } as unknown as TokenSummary;

describe("doctor: a client_id refusal (issue 16)", () => {
  it("without a client_id claim, advises the RFC 9068 token profile", () => {
    const fix = clientIdFix({ ...base, clientId: "abc", clientIdClaim: "azp" });
    expect(fix).toMatch(/^the token has no client_id claim .* set the Auth0 API's token profile to RFC 9068/);
    expect(clientIdFix(undefined)).toMatch(/no client_id claim/);
  });

  it("with a client_id the runtime does not allow, names the value and where it goes (not RFC 9068)", () => {
    const fix = clientIdFix({ ...base, clientId: "OtherM2mClient", clientIdClaim: "client_id" });
    expect(fix).toBe(
      "the token's client_id is \"OtherM2mClient\", which the runtime does not allow: add it to the runtime's allowedClients (AUTH_ALLOWED_CLIENTS for a jwt-mode server), or, if the runtime allows another client, put that M2M application's credentials in the broker's secret",
    );
    expect(fix).not.toMatch(/RFC 9068/);
  });
});
