import type { TokenSummary } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import type { DoctorState } from "../../src/commands/doctor/checks.js";
import { checkIdentity } from "../../src/commands/doctor/identityCheck.js";

const A = "123456789012";
const ALICE = `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Dev_0a1b/alice`;
const ROLE = `arn:aws:iam::${A}:role/AWSReservedSSO_Dev_0a1b`;

function state(identity: "shared" | "caller" | undefined, caller?: TokenSummary["caller"]): DoctorState {
  return {
    whoami: { principal: ALICE, accountId: A, normalizedPrincipal: ROLE },
    profile: { name: "p", audience: "https://mcp/", scopes: [], ...(identity && { identity }) },
    summary: { audience: ["https://mcp/"], scopes: [], profile: "rfc9068", ...(caller && { caller }) },
  };
}

describe("doctor: checkIdentity", () => {
  it("says a shared profile is one token for all (also from a broker that does not report the mode)", () => {
    for (const mode of ["shared", undefined] as const) {
      expect(checkIdentity(state(mode))).toMatchObject({
        status: "pass",
        detail: expect.stringMatching(/^shared: one token/),
      });
    }
  });

  it("passes a per-caller token that names you, showing the claim", () => {
    expect(checkIdentity(state("caller", { caller: ROLE, account: A, session: "alice" }))).toMatchObject({
      status: "pass",
      detail: `per-caller: the token names you, ${ROLE} (session alice), account ${A}`,
    });
  });

  it("fails a per-caller token without the claim and names the Action to deploy", () => {
    expect(checkIdentity(state("caller"))).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("auth0/actions/caller-claims.cjs"),
    });
  });

  it("fails a per-caller token naming someone else", () => {
    expect(checkIdentity(state("caller", { caller: ROLE, account: A, session: "bob" }))).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("but the broker knows you as"),
    });
  });

  it("reports nothing without a token", () => {
    expect(checkIdentity({})).toBeUndefined();
  });
});
