import { describe, expect, it } from "vitest";
import { type CustomClaimRule, checkCustomClaim, parseCustomClaims } from "../../src/index.js";

const NAME = "https://mcp-token.test/groups";

/** One entry in AgentCore's shape. */
function entry(
  type: string,
  operator: string,
  value: Record<string, unknown>,
  name: string = NAME,
): Record<string, unknown> {
  return {
    inboundTokenClaimName: name,
    inboundTokenClaimValueType: type,
    authorizingClaimMatchValue: { claimMatchOperator: operator, claimMatchValue: value },
  };
}

const parse = (entries: unknown) => parseCustomClaims(JSON.stringify(entries));

function parseError(entries: unknown): string {
  try {
    parseCustomClaims(typeof entries === "string" ? entries : JSON.stringify(entries));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a validation error");
}

describe("Function: parseCustomClaims", () => {
  it("accepts each operator with the value type and member AgentCore allows it", () => {
    const rules = parse([
      entry("STRING", "EQUALS", { matchValueString: "platform" }),
      entry("STRING_ARRAY", "CONTAINS", { matchValueString: "admins" }),
      entry("STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["a", "b"] }),
    ]);
    expect(rules.map((r) => r.authorizingClaimMatchValue)).toEqual([
      { claimMatchOperator: "EQUALS", claimMatchValue: { matchValueString: "platform" } },
      { claimMatchOperator: "CONTAINS", claimMatchValue: { matchValueString: "admins" } },
      { claimMatchOperator: "CONTAINS_ANY", claimMatchValue: { matchValueStringList: ["a", "b"] } },
    ]);
  });

  it("accepts Pulumi's spelling matchValueStringLists and normalises it to AgentCore's", () => {
    const [rule] = parse([entry("STRING_ARRAY", "CONTAINS_ANY", { matchValueStringLists: ["x"] })]);
    expect(rule?.authorizingClaimMatchValue.claimMatchValue).toEqual({ matchValueStringList: ["x"] });
  });

  it.each([
    [
      "EQUALS on a STRING_ARRAY claim",
      [entry("STRING_ARRAY", "EQUALS", { matchValueString: "x" })],
      "[0].authorizingClaimMatchValue.claimMatchOperator: EQUALS cannot be used with inboundTokenClaimValueType STRING_ARRAY; STRING_ARRAY allows CONTAINS or CONTAINS_ANY",
    ],
    [
      "CONTAINS on a STRING claim",
      [entry("STRING", "CONTAINS", { matchValueString: "x" })],
      "[0].authorizingClaimMatchValue.claimMatchOperator: CONTAINS cannot be used with inboundTokenClaimValueType STRING; STRING allows EQUALS",
    ],
    [
      "CONTAINS_ANY on a STRING claim",
      [
        entry("STRING_ARRAY", "CONTAINS", { matchValueString: "ok" }),
        entry("STRING", "CONTAINS_ANY", { matchValueStringList: ["x"] }),
      ],
      "[1].authorizingClaimMatchValue.claimMatchOperator: CONTAINS_ANY cannot be used with inboundTokenClaimValueType STRING",
    ],
    [
      "CONTAINS with a list (CDK's one-value list is rendered as matchValueString)",
      [entry("STRING_ARRAY", "CONTAINS", { matchValueStringList: ["x"] })],
      "[0].authorizingClaimMatchValue.claimMatchValue: CONTAINS takes exactly one member, matchValueString; got matchValueStringList",
    ],
    [
      "CONTAINS_ANY with a single string",
      [entry("STRING_ARRAY", "CONTAINS_ANY", { matchValueString: "x" })],
      "[0].authorizingClaimMatchValue.claimMatchValue: CONTAINS_ANY takes exactly one member, matchValueStringList; got matchValueString",
    ],
    [
      "both members (the value is a union)",
      [entry("STRING", "EQUALS", { matchValueString: "x", matchValueStringList: ["y"] })],
      "[0].authorizingClaimMatchValue.claimMatchValue: EQUALS takes exactly one member, matchValueString; got matchValueString, matchValueStringList",
    ],
    [
      "no member",
      [entry("STRING", "EQUALS", {})],
      "[0].authorizingClaimMatchValue.claimMatchValue: EQUALS takes exactly one member, matchValueString",
    ],
    [
      "an unknown operator",
      [entry("STRING", "STARTS_WITH", { matchValueString: "x" })],
      "[0].authorizingClaimMatchValue.claimMatchOperator: must be one of EQUALS, CONTAINS, CONTAINS_ANY",
    ],
    [
      "an unknown value type",
      [entry("NUMBER", "EQUALS", { matchValueString: "x" })],
      "[0].inboundTokenClaimValueType: must be one of STRING, STRING_ARRAY",
    ],
    [
      "a claim name with a space",
      [entry("STRING", "EQUALS", { matchValueString: "x" }, "my claim")],
      "[0].inboundTokenClaimName: the claim name must be 1 to 255 characters of A-Z a-z 0-9 _ . : / - (AgentCore's pattern)",
    ],
    [
      "a value longer than 255 characters",
      [entry("STRING", "EQUALS", { matchValueString: "v".repeat(256) })],
      "[0].authorizingClaimMatchValue.claimMatchValue.matchValueString: matchValueString must be 1 to 255 characters",
    ],
    [
      "an empty list",
      [entry("STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: [] })],
      "[0].authorizingClaimMatchValue.claimMatchValue.matchValueStringList: must hold at least one value",
    ],
    [
      "a list holding a number",
      [entry("STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["ok", 7] })],
      "[0].authorizingClaimMatchValue.claimMatchValue.matchValueStringList[1]: each value must be a string",
    ],
    [
      "an unknown key (a typo)",
      [{ ...entry("STRING", "EQUALS", { matchValueString: "x" }), claimName: "oops" }],
      '[0]: Unrecognized key: "claimName"',
    ],
    [
      "a lone object instead of an array",
      entry("STRING", "EQUALS", { matchValueString: "x" }),
      "must be a JSON array",
    ],
    ["an empty array", [], "must hold at least one entry (unset the variable to check no custom claims)"],
    [
      "an entry without authorizingClaimMatchValue",
      [{ inboundTokenClaimName: NAME, inboundTokenClaimValueType: "STRING" }],
      "[0].authorizingClaimMatchValue: must be an object { claimMatchOperator, claimMatchValue }",
    ],
    [
      "a string instead of an entry",
      ["groups"],
      "[0]: must be an object { inboundTokenClaimName, inboundTokenClaimValueType, authorizingClaimMatchValue }",
    ],
    ["text that is not JSON", "[{", "is not valid JSON"],
  ])("refuses %s, naming the full path", (_what, entries, message) => {
    expect(parseError(entries)).toContain(message);
  });

  it("reports every problem at once", () => {
    const message = parseError([
      entry("STRING_ARRAY", "EQUALS", { matchValueString: "x" }),
      entry("STRING", "EQUALS", { matchValueString: "" }),
    ]);
    expect(message).toContain("[0].authorizingClaimMatchValue.claimMatchOperator:");
    expect(message).toContain("[1].authorizingClaimMatchValue.claimMatchValue.matchValueString:");
  });
});

describe("Function: checkCustomClaim", () => {
  const rule = (type: string, operator: string, value: Record<string, unknown>): CustomClaimRule =>
    parse([entry(type, operator, value)])[0] as CustomClaimRule;
  const equals = rule("STRING", "EQUALS", { matchValueString: "platform" });
  const contains = rule("STRING_ARRAY", "CONTAINS", { matchValueString: "admins" });
  const containsAny = rule("STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["a", "b"] });

  it.each([
    ["STRING EQUALS, equal", equals, "platform", undefined],
    ["STRING EQUALS, different", equals, "Platform", "mismatch"],
    ["STRING EQUALS, an array holding the value", equals, ["platform"], "wrong_type"],
    ["STRING EQUALS, a number", equals, 7, "wrong_type"],
    ["STRING_ARRAY CONTAINS, contained", contains, ["users", "admins"], undefined],
    ["STRING_ARRAY CONTAINS, not contained", contains, ["users"], "mismatch"],
    ["STRING_ARRAY CONTAINS, empty array", contains, [], "mismatch"],
    ["STRING_ARRAY CONTAINS, a string equal to the value", contains, "admins", "wrong_type"],
    ["STRING_ARRAY CONTAINS, an array holding a non-string", contains, ["admins", 1], "wrong_type"],
    ["STRING_ARRAY CONTAINS_ANY, one of them", containsAny, ["z", "b"], undefined],
    ["STRING_ARRAY CONTAINS_ANY, none of them", containsAny, ["z"], "mismatch"],
    ["STRING_ARRAY CONTAINS_ANY, a string", containsAny, "a", "wrong_type"],
    ["STRING_ARRAY CONTAINS_ANY, null", containsAny, null, "wrong_type"],
  ])("%s", (_what, r, value, expected) => {
    expect(checkCustomClaim(r, { [NAME]: value })).toBe(expected);
  });

  it("reports a missing claim, and never reads a dotted name as a path", () => {
    expect(checkCustomClaim(equals, {})).toBe("missing");
    const dotted = parse([
      entry("STRING", "EQUALS", { matchValueString: "x" }, "org.team"),
    ])[0] as CustomClaimRule;
    expect(checkCustomClaim(dotted, { org: { team: "x" } })).toBe("missing");
    expect(checkCustomClaim(dotted, { "org.team": "x" })).toBeUndefined();
  });

  it("does not take an inherited property for a claim", () => {
    const proto = parse([
      entry("STRING", "EQUALS", { matchValueString: "x" }, "toString"),
    ])[0] as CustomClaimRule;
    expect(checkCustomClaim(proto, {})).toBe("missing");
  });
});
