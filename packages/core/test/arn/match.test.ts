import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPrincipalAllowed, matchesAllowPattern } from "../../src/arn/match.js";
import { normalizePrincipal } from "../../src/arn/normalize.js";
import { parseArn } from "../../src/arn/parse.js";
import { callerChosenNameReason, validateAllowPattern } from "../../src/arn/pattern.js";

const A = "123456789012";
const B = "210987654321";
const TEN_KB = "x".repeat(10 * 1024);

describe("Function: parseArn", () => {
  it("splits the six fields and keeps ':' inside the resource", () => {
    expect(parseArn(`arn:aws:iam::${A}:role/Dev`)).toEqual({
      partition: "aws",
      service: "iam",
      region: "",
      accountId: A,
      resource: "role/Dev",
    });
    expect(parseArn("arn:aws:lambda:us-west-2:123456789012:function:f:1")?.resource).toBe("function:f:1");
    expect(parseArn("arn:aws-us-gov:iam::123456789012:role/x")?.partition).toBe("aws-us-gov");
  });

  it.each([
    ["", "empty"],
    ["arn:aws:iam::123456789012", "too few fields"],
    ["arn:aws:iam::123456789012:", "empty resource"],
    ["arn:AWS:iam::123456789012:role/x", "upper-case partition"],
    ["arn:aws:iam::1234:role/x", "short account"],
    ["arn:aws:iam::123456789012:role/x y", "space"],
    ["arn:aws:iam::123456789012:role/é", "non-ASCII"],
    ["urn:aws:iam::123456789012:role/x", "not arn"],
    [`arn:aws:iam::123456789012:role/${"a".repeat(2048)}`, "over 2048 characters"],
  ])("rejects %j (%s)", (arn) => {
    expect(parseArn(arn)).toBeUndefined();
  });
});

describe("Function: normalizePrincipal", () => {
  it.each([
    [`arn:aws:sts::${A}:assumed-role/Dev/alice`, `arn:aws:iam::${A}:role/Dev`],
    [
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com`,
      `arn:aws:iam::${A}:role/AWSReservedSSO_Admin_0123abcd`,
    ],
    [`arn:aws-us-gov:sts::${A}:assumed-role/Dev/i-0abc`, `arn:aws-us-gov:iam::${A}:role/Dev`],
    [`arn:aws-cn:sts::${A}:assumed-role/Dev/s`, `arn:aws-cn:iam::${A}:role/Dev`],
    [`arn:aws:iam::${A}:role/path/to/Dev`, `arn:aws:iam::${A}:role/path/to/Dev`],
    [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:user/alice`],
    [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:root`],
    [`arn:aws:sts::${A}:federated-user/bob`, `arn:aws:sts::${A}:federated-user/bob`],
  ])("normalises %s to %s", (input, expected) => {
    expect(normalizePrincipal(input)).toBe(expected);
  });

  it.each([
    [""],
    [TEN_KB],
    [`arn:aws:sts::${A}:assumed-role/Dev`],
    [`arn:aws:sts::${A}:assumed-role/Dev/`],
    [`arn:aws:sts::${A}:assumed-role//alice`],
    [`arn:aws:sts::${A}:assumed-role/Dev/a/b`],
    [`arn:aws:sts:us-east-1:${A}:assumed-role/Dev/a`],
    [`arn:aws:s3:::bucket`],
    [`arn:aws:iam::aws:policy/AdministratorAccess`],
    [`arn:aws:iam::${A}:role/*`],
    [`arn:aws:iam::${A}:role/Dev:x`],
    [`arn:aws:iam::${A}:role/${TEN_KB}`],
  ])("returns undefined for %j", (input) => {
    expect(normalizePrincipal(input)).toBeUndefined();
  });
});

describe("Function: validateAllowPattern", () => {
  it.each([
    `arn:aws:iam::${A}:role/Dev`,
    `arn:aws:iam::${A}:role/*`,
    `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_abc`,
    `arn:aws:iam::${A}:user/alice`,
    `arn:aws:iam::${A}:root`,
    `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_*/*`,
    `arn:aws:sts::${A}:federated-user/bob`,
    `arn:aws-us-gov:iam::${A}:role/Dev`,
    `arn:aws-cn:sts::${A}:assumed-role/Dev/*`,
  ])("accepts %s", (pattern) => {
    expect(validateAllowPattern(pattern)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    [TEN_KB, /longer than 2048/],
    [`arn:aws:iam::12345678901*:role/Dev`, /account id must be 12 literal digits/],
    [`arn:aws:iam::*:role/Dev`, /account id must be 12 literal digits/],
    [`arn:aws:iam:::role/Dev`, /account id/],
    [`arn:aws:iam::role/x`, /six ':'-separated fields/],
    [`arn:*:iam::${A}:role/Dev`, /partition must be literal/],
    [`arn:aws:*::${A}:role/Dev`, /service must be iam or sts/],
    [`arn:aws:s3:::bucket`, /service must be iam or sts/],
    [`arn:aws:iam:us-east-1:${A}:role/Dev`, /region must be empty/],
    [`arn:aws:iam::${A}:*`, /must start with role/],
    [`arn:aws:iam::${A}:assumed-role/Dev/*`, /must start with role/],
    [`arn:aws:sts::${A}:role/Dev`, /must start with assumed-role/],
    [`arn:aws:iam::${A}:role/`, /nothing follows/],
    [`arn:aws:iam::${A}:role/Dev:*`, /must not contain ':'/],
    [`arn:aws:iam::${A}:role/(Dev|Prod)`, /IAM name characters/],
    [`arn:aws:iam::${A}:role/Dev?`, /IAM name characters/],
    [`arn:aws:iam::${A}:role/[a-z]+`, /IAM name characters/],
    [`arn:aws:iam::${A}:role/Dev Ops`, /IAM name characters/],
  ])("rejects %j", (pattern, message) => {
    const problem = validateAllowPattern(pattern);
    expect(problem).toMatch(/^expected an IAM ARN pattern, got "/);
    expect(problem).toMatch(message);
  });

  it("quotes at most 80 characters of a long pattern", () => {
    expect(validateAllowPattern(TEN_KB)?.length).toBeLessThan(200);
  });

  it("rejects a non-string", () => {
    expect(validateAllowPattern(42 as unknown as string)).toMatch(/string/);
  });
});

describe("Function: matchesAllowPattern", () => {
  const cases: [principal: string, pattern: string, expected: boolean, why: string][] = [
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/Dev`, true, "exact role"],
    [
      `arn:aws:iam::${A}:role/Dev`,
      `arn:aws:iam::12345678901*:role/Dev`,
      false,
      "wildcarded account is invalid",
    ],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${B}:role/Dev`, false, "other account"],
    [`arn:aws:sts::${A}:assumed-role/Dev/alice`, `arn:aws:iam::${A}:role/Dev`, true, "session of the role"],
    [
      `arn:aws:sts::${B}:assumed-role/Dev/alice`,
      `arn:aws:iam::${A}:role/Dev`,
      false,
      "session in other account",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/DevOps/alice`,
      `arn:aws:iam::${A}:role/Dev`,
      false,
      "prefix of role name",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/alice`,
      `arn:aws:iam::${A}:role/team/Dev`,
      true,
      "literal role path",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/alice`,
      `arn:aws:iam::${A}:role/team/*`,
      false,
      "wildcard path cannot admit sessions",
    ],
    [`arn:aws:sts::${A}:assumed-role/Dev/alice`, `arn:aws:iam::${A}:role/team-*/Dev`, false, "wildcard path"],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/alice`,
      `arn:aws:iam::${A}:role/*`,
      true,
      "all roles of the account",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev-1/alice`,
      `arn:aws:iam::${A}:role/Dev-*`,
      true,
      "role name wildcard",
    ],
    [`arn:aws:iam::${A}:role/team/Dev`, `arn:aws:iam::${A}:role/team/*`, true, "role with path"],
    [`arn:aws:iam::${A}:role/other/Dev`, `arn:aws:iam::${A}:role/team/*`, false, "role at other path"],
    [`arn:aws:iam::${A}:role/team/Dev`, `arn:aws:iam::${A}:role/Dev`, false, "path is part of the role ARN"],
    [
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_0a1b2c/alice@example.com`,
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_*/*`,
      true,
      "SSO permission set sessions",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_0a1b2c/alice`,
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_*/*`,
      false,
      "other permission set",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/alice`,
      `arn:aws:sts::${A}:assumed-role/Dev/bob`,
      false,
      "other session",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/bob`,
      `arn:aws:sts::${A}:assumed-role/Dev/bob`,
      true,
      "exact session",
    ],
    [
      `arn:aws:iam::${A}:role/Dev`,
      `arn:aws:sts::${A}:assumed-role/Dev/*`,
      false,
      "role ARN is not a session",
    ],
    [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:user/*`, true, "users"],
    [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:role/*`, false, "user is not a role"],
    [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:root`, true, "root"],
    [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:role/*`, false, "root is not a role"],
    [`arn:aws-us-gov:sts::${A}:assumed-role/Dev/a`, `arn:aws-us-gov:iam::${A}:role/Dev`, true, "GovCloud"],
    [`arn:aws-cn:sts::${A}:assumed-role/Dev/a`, `arn:aws-cn:iam::${A}:role/Dev`, true, "China"],
    [`arn:aws-cn:sts::${A}:assumed-role/Dev/a`, `arn:aws:iam::${A}:role/Dev`, false, "partition differs"],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/a`,
      `arn:aws-us-gov:iam::${A}:role/Dev`,
      false,
      "partition differs (GovCloud)",
    ],
    [`arn:aws:iam::${A}:role/DevXProd`, `arn:aws:iam::${A}:role/Dev.Prod`, false, "'.' is literal"],
    [`arn:aws:iam::${A}:role/Dev.Prod`, `arn:aws:iam::${A}:role/Dev.Prod`, true, "'.' matches itself"],
    [`arn:aws:iam::${A}:role/DevvvOps`, `arn:aws:iam::${A}:role/Dev+Ops`, false, "'+' is literal"],
    [`arn:aws:iam::${A}:role/Dev+Ops`, `arn:aws:iam::${A}:role/Dev+Ops`, true, "'+' matches itself"],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/.*`, false, "'.*' is not regex"],
    [
      `arn:aws:iam::${A}:role/Dev`,
      `arn:aws:iam::${A}:role/(Dev|Prod)`,
      false,
      "regex alternation is invalid",
    ],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/D?v`, false, "'?' is invalid"],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/De*`, true, "trailing star"],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/*e*v*`, true, "many stars"],
    [`arn:aws:iam::${A}:role/Dev`, "", false, "empty pattern"],
    ["", `arn:aws:iam::${A}:role/*`, false, "empty principal"],
    ["", "", false, "both empty"],
    [TEN_KB, `arn:aws:iam::${A}:role/*`, false, "10 KB principal"],
    [`arn:aws:iam::${A}:role/${TEN_KB}`, `arn:aws:iam::${A}:role/*`, false, "10 KB role name"],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/${"*".repeat(10 * 1024)}`, false, "10 KB pattern"],
    [`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${A}:role/Dev:`, false, "colon in pattern resource"],
    [`arn:aws:iam::${A}:role/*`, `arn:aws:iam::${A}:role/*`, false, "principal with a star"],
    [`arn:aws:lambda:us-east-1:${A}:function:f`, `arn:aws:iam::${A}:role/*`, false, "not a principal"],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/a`,
      `arn:aws:sts::${A}:assumed-role/*`,
      false,
      "star never crosses '/'",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/Dev/a`,
      `arn:aws:sts::${A}:assumed-role/*/*`,
      true,
      "one star per segment",
    ],
    [
      `arn:aws:sts::${A}:assumed-role/DevOpsAdmin/x`,
      `arn:aws:sts::${A}:assumed-role/Dev*`,
      false,
      "a role-name prefix never reaches into the session (rule 3)",
    ],
    [
      `arn:aws:iam::${A}:role/app/Dev`,
      `arn:aws:iam::${A}:role/*`,
      false,
      "role/* is for roles without a path",
    ],
    [
      `arn:aws:iam::${A}:role/app/Dev`,
      `arn:aws:iam::${A}:role/app/*`,
      true,
      "a path pattern matches its roles",
    ],
    [
      `arn:aws:iam::${A}:role/DevOpsAdmin`,
      `arn:aws:iam::${A}:role/Dev*`,
      true,
      "a prefix admits every longer name",
    ],
  ];

  it.each(cases)("%s vs %s → %s (%s)", (principal, pattern, expected) => {
    expect(matchesAllowPattern(principal, pattern)).toBe(expected);
  });

  it("finishes quickly on adversarial 10 KB-style inputs", () => {
    const principal = `arn:aws:iam::${A}:role/${"a".repeat(2000)}`;
    const pattern = `arn:aws:iam::${A}:role/${"a*".repeat(900)}b`;
    const started = performance.now();
    expect(matchesAllowPattern(principal, pattern)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("Function: isPrincipalAllowed", () => {
  it("allows when any pattern matches and nobody on an empty list", () => {
    const patterns = [`arn:aws:iam::12345678901*:role/Dev`, `arn:aws:iam::${A}:role/mcp-agent`];
    expect(isPrincipalAllowed(`arn:aws:sts::${A}:assumed-role/mcp-agent/i-1`, patterns)).toBe(true);
    expect(isPrincipalAllowed(`arn:aws:iam::${A}:role/Dev`, patterns)).toBe(false);
    expect(isPrincipalAllowed(`arn:aws:iam::${A}:role/Dev`, [])).toBe(false);
    expect(isPrincipalAllowed("nonsense", patterns)).toBe(false);
  });
});

describe("Property: ARN matching", () => {
  const name = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/);
  const account = fc.stringMatching(/^\d{12}$/);

  it("an exact pattern matches its own principal and its sessions", () => {
    fc.assert(
      fc.property(account, name, name, (acct, role, session) => {
        const roleArn = `arn:aws:iam::${acct}:role/${role}`;
        expect(matchesAllowPattern(roleArn, roleArn)).toBe(true);
        expect(matchesAllowPattern(`arn:aws:sts::${acct}:assumed-role/${role}/${session}`, roleArn)).toBe(
          true,
        );
      }),
    );
  });

  it("'*' never crosses ':': a pattern for one account never matches another", () => {
    fc.assert(
      fc.property(account, account, name, fc.stringMatching(/^[A-Za-z0-9*_-]{0,10}$/), (a, b, role, tail) => {
        fc.pre(a !== b);
        const pattern = `arn:aws:iam::${a}:role/*${tail}`;
        expect(matchesAllowPattern(`arn:aws:iam::${b}:role/${role}`, pattern)).toBe(false);
        expect(matchesAllowPattern(`arn:aws:sts::${b}:assumed-role/${role}/s`, pattern)).toBe(false);
      }),
    );
  });

  it("a wildcard in the account field is always rejected", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\d*]{1,13}$/), (acct) => {
        fc.pre(acct.includes("*"));
        expect(validateAllowPattern(`arn:aws:iam::${acct}:role/Dev`)).toBeDefined();
        expect(matchesAllowPattern(`arn:aws:iam::${A}:role/Dev`, `arn:aws:iam::${acct}:role/Dev`)).toBe(
          false,
        );
      }),
    );
  });

  it("never throws and never matches arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (principal, pattern) => {
        const result = matchesAllowPattern(principal, pattern);
        if (result) {
          expect(normalizePrincipal(principal)).toBeDefined();
          expect(validateAllowPattern(pattern)).toBeUndefined();
        }
      }),
    );
  });

  it("'*' as the whole role name matches exactly the roles of that account and partition", () => {
    fc.assert(
      fc.property(fc.constantFrom("aws", "aws-cn", "aws-us-gov"), account, name, (partition, acct, role) => {
        expect(
          matchesAllowPattern(
            `arn:${partition}:iam::${acct}:role/${role}`,
            `arn:${partition}:iam::${acct}:role/*`,
          ),
        ).toBe(true);
        expect(
          matchesAllowPattern(
            `arn:${partition}:iam::${acct}:user/${role}`,
            `arn:${partition}:iam::${acct}:role/*`,
          ),
        ).toBe(false);
      }),
    );
  });
});

describe("Function: callerChosenNameReason", () => {
  it.each([
    [`arn:aws:sts::${A}:federated-user/alice`, "federated-user name"],
    [`arn:aws:sts::${A}:federated-user/*`, "federated-user name"],
    [`arn:aws:sts::${A}:assumed-role/*/alice`, "session name under a wildcard role"],
    [`arn:aws:sts::${A}:assumed-role/Dev*/alice`, "session name under a wildcard role"],
    [`arn:aws:sts::${A}:assumed-role/Admin/alice`, "whoever can assume role Admin chooses the session name"],
    [`arn:aws:sts::${A}:assumed-role/Admin/ali*`, "whoever can assume role Admin"],
  ])("refuses %s (it trusts a %s)", (pattern, reason) => {
    expect(callerChosenNameReason(pattern)).toContain(reason);
  });

  it.each([
    `arn:aws:iam::${A}:role/Dev`,
    `arn:aws:iam::${A}:role/Dev*`,
    `arn:aws:iam::${A}:user/alice`,
    `arn:aws:iam::${A}:root`,
    `arn:aws:sts::${A}:assumed-role/Dev/*`,
    `arn:aws:sts::${A}:assumed-role/*/*`,
    `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com`,
    `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_*/alice@example.com`,
    "not an arn",
  ])("accepts %s (nothing caller-chosen identifies the caller)", (pattern) => {
    expect(callerChosenNameReason(pattern)).toBeUndefined();
  });
});
