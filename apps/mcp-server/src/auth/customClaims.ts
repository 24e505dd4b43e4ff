/**
 * AgentCore's `customClaims` (custom JWT authorizer), reproduced: the configuration shape and the match.
 *
 * Shape (AgentCore control-plane API `CustomClaimValidationType`, also CloudFormation and CDK):
 * `{ inboundTokenClaimName, inboundTokenClaimValueType: STRING | STRING_ARRAY,
 *    authorizingClaimMatchValue: { claimMatchOperator: EQUALS | CONTAINS | CONTAINS_ANY,
 *                                  claimMatchValue: { matchValueString } | { matchValueStringList } } }`.
 * Pulumi's `aws.bedrock.AgentcoreAgentRuntime` spells the list `matchValueStringLists`; both spellings
 * are accepted so infra can hand over the object it gives Pulumi.
 *
 * Rules, each with a test (`test/auth/customClaims.test.ts`), sources in the README:
 * 1. `EQUALS` only with `STRING`, `CONTAINS` / `CONTAINS_ANY` only with `STRING_ARRAY` (Pulumi AWS docs).
 * 2. `EQUALS` and `CONTAINS` take `matchValueString`, `CONTAINS_ANY` takes `matchValueStringList`
 *    (Pulumi AWS docs; AWS CDK's `RuntimeCustomClaim` renders exactly that); the value is a union: one member.
 * 3. `STRING` + `EQUALS`: the claim is a string equal to the value. `STRING_ARRAY` + `CONTAINS`: the
 *    claim is an array of strings that contains the value. `STRING_ARRAY` + `CONTAINS_ANY`: the claim
 *    is an array of strings that contains at least one of the values.
 * 4. A missing claim, or one of another type (a string where an array is configured, an array holding
 *    a non-string), is a mismatch. The claim name is a top-level key, never a path: Auth0's namespaced
 *    claims (`https://example.com/roles`) contain dots and slashes.
 * 5. Every rule must hold.
 */
import * as z from "zod";

/** AgentCore's character set for claim names and match values, 1–255 characters (API reference). */
const CLAIM_TEXT = /^[A-Za-z0-9_.:/-]{1,255}$/;
const CLAIM_TEXT_HINT = "1 to 255 characters of A-Z a-z 0-9 _ . : / - (AgentCore's pattern)";

export const CLAIM_VALUE_TYPES = ["STRING", "STRING_ARRAY"] as const;
export const CLAIM_MATCH_OPERATORS = ["EQUALS", "CONTAINS", "CONTAINS_ANY"] as const;

export type ClaimValueType = (typeof CLAIM_VALUE_TYPES)[number];
export type ClaimMatchOperator = (typeof CLAIM_MATCH_OPERATORS)[number];

/** One validated `customClaims` entry, the list spelled as AgentCore's API spells it. */
export interface CustomClaimRule {
  inboundTokenClaimName: string;
  inboundTokenClaimValueType: ClaimValueType;
  authorizingClaimMatchValue: {
    claimMatchOperator: ClaimMatchOperator;
    claimMatchValue: { matchValueString: string } | { matchValueStringList: string[] };
  };
}

/** The operator each value type allows, and the `claimMatchValue` member each operator takes. */
const OPERATORS_OF: Record<ClaimValueType, readonly ClaimMatchOperator[]> = {
  STRING: ["EQUALS"],
  STRING_ARRAY: ["CONTAINS", "CONTAINS_ANY"],
};
const MEMBER_OF: Record<ClaimMatchOperator, "matchValueString" | "matchValueStringList"> = {
  EQUALS: "matchValueString",
  CONTAINS: "matchValueString",
  CONTAINS_ANY: "matchValueStringList",
};

/** A message for a value that is not an object; other issues (unknown keys) keep zod's own. */
const notAnObject = (message: string) => (issue: { code?: string }) =>
  issue.code === "invalid_type" ? message : undefined;

const claimText = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(CLAIM_TEXT, `${what} must be ${CLAIM_TEXT_HINT}`);
const stringList = z
  .array(claimText("each value"), { error: "must be an array of strings" })
  .min(1, "must hold at least one value");

const ruleSchema = z
  .strictObject(
    {
      inboundTokenClaimName: claimText("the claim name"),
      inboundTokenClaimValueType: z.enum(CLAIM_VALUE_TYPES, {
        error: `must be one of ${CLAIM_VALUE_TYPES.join(", ")}`,
      }),
      authorizingClaimMatchValue: z.strictObject(
        {
          claimMatchOperator: z.enum(CLAIM_MATCH_OPERATORS, {
            error: `must be one of ${CLAIM_MATCH_OPERATORS.join(", ")}`,
          }),
          claimMatchValue: z.strictObject(
            {
              matchValueString: claimText("matchValueString").optional(),
              matchValueStringList: stringList.optional(),
              matchValueStringLists: stringList.optional(),
            },
            { error: notAnObject("must be an object holding matchValueString or matchValueStringList") },
          ),
        },
        { error: notAnObject("must be an object { claimMatchOperator, claimMatchValue }") },
      ),
    },
    {
      error: notAnObject(
        "must be an object { inboundTokenClaimName, inboundTokenClaimValueType, authorizingClaimMatchValue }",
      ),
    },
  )
  .superRefine((rule, ctx) => {
    const type = rule.inboundTokenClaimValueType;
    const { claimMatchOperator: operator, claimMatchValue: value } = rule.authorizingClaimMatchValue;
    if (!OPERATORS_OF[type].includes(operator)) {
      ctx.addIssue({
        code: "custom",
        path: ["authorizingClaimMatchValue", "claimMatchOperator"],
        message: `${operator} cannot be used with inboundTokenClaimValueType ${type}; ${type} allows ${OPERATORS_OF[type].join(" or ")} (EQUALS is for STRING, CONTAINS and CONTAINS_ANY for STRING_ARRAY)`,
      });
    }
    const present = Object.keys(value).filter((k) => value[k as keyof typeof value] !== undefined);
    const wanted = MEMBER_OF[operator];
    const spellings =
      wanted === "matchValueStringList" ? ["matchValueStringList", "matchValueStringLists"] : [wanted];
    if (present.length !== 1 || !spellings.includes(present[0] as string)) {
      ctx.addIssue({
        code: "custom",
        path: ["authorizingClaimMatchValue", "claimMatchValue"],
        message: `${operator} takes exactly one member, ${wanted}${present.length > 0 ? `; got ${present.join(", ")}` : ""}`,
      });
    }
  })
  .transform((rule): CustomClaimRule => {
    const { claimMatchOperator, claimMatchValue } = rule.authorizingClaimMatchValue;
    const list = claimMatchValue.matchValueStringList ?? claimMatchValue.matchValueStringLists;
    return {
      inboundTokenClaimName: rule.inboundTokenClaimName,
      inboundTokenClaimValueType: rule.inboundTokenClaimValueType,
      authorizingClaimMatchValue: {
        claimMatchOperator,
        claimMatchValue:
          MEMBER_OF[claimMatchOperator] === "matchValueStringList"
            ? { matchValueStringList: list ?? [] }
            : { matchValueString: claimMatchValue.matchValueString ?? "" },
      },
    };
  });

const rulesSchema = z
  .array(ruleSchema, { error: "must be a JSON array of AgentCore customClaims entries" })
  .min(1, "must hold at least one entry (unset the variable to check no custom claims)");

/** `[0].authorizingClaimMatchValue.claimMatchOperator` for zod's `[0, "authorizingClaimMatchValue", …]`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/**
 * Parses and validates `customClaims` JSON once, at start.
 *
 * @param json - a JSON array of AgentCore `customClaims` entries.
 * @returns the rules, list members spelled `matchValueStringList`.
 * @throws {Error} whose message lists every problem with its full path, e.g.
 *   `[0].authorizingClaimMatchValue.claimMatchOperator: EQUALS cannot be used with inboundTokenClaimValueType STRING_ARRAY; …`.
 */
export function parseCustomClaims(json: string): CustomClaimRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const result = rulesSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues
      .map((issue) => {
        const path = formatPath(issue.path);
        return path === "" ? issue.message : `${path}: ${issue.message}`;
      })
      .join("; "),
  );
}

/** Why a token's claim does not satisfy a rule, or `undefined` when it does. */
export type CustomClaimFailure = "missing" | "wrong_type" | "mismatch";

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

/**
 * Checks one rule against a verified token's claims (rules 3 and 4 of the module header).
 *
 * @returns `undefined` when the rule holds, else why not.
 */
export function checkCustomClaim(
  rule: CustomClaimRule,
  claims: Readonly<Record<string, unknown>>,
): CustomClaimFailure | undefined {
  if (!Object.hasOwn(claims, rule.inboundTokenClaimName)) return "missing";
  const value = claims[rule.inboundTokenClaimName];
  const match = rule.authorizingClaimMatchValue.claimMatchValue;
  if (rule.inboundTokenClaimValueType === "STRING") {
    if (typeof value !== "string") return "wrong_type";
    return "matchValueString" in match && value === match.matchValueString ? undefined : "mismatch";
  }
  if (!isStringArray(value)) return "wrong_type";
  if ("matchValueString" in match) return value.includes(match.matchValueString) ? undefined : "mismatch";
  return match.matchValueStringList.some((v) => value.includes(v)) ? undefined : "mismatch";
}
