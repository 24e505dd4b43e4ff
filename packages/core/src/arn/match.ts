// Matching IAM principals against `allow` patterns: the access-control core of the broker.
//
// Rules (each one has a test in `test/arn/match.test.ts`):
//
// 1. The principal must be a well-formed IAM or STS principal ARN (`parsePrincipal`): at most 2048
//    characters, empty region, 12-digit account, resource of IAM name characters only (so it contains
//    no `*` and no `:`). Anything else matches nothing (fail closed).
// 2. The pattern must pass `validateAllowPattern` (literal partition, service and 12-digit account id,
//    literal resource type). An invalid pattern matches nothing.
// 3. `*` matches any run of characters, including the empty string, but **never `:` or `/`**: the ARN
//    is compared field by field and segment by segment, so a wildcard can never reach into the account
//    id or partition, `assumed-role/Dev*` (two segments) never matches a session
//    `assumed-role/DevOpsAdmin/x` (three), and `role/*` does not match roles with a path
//    (`role/app/Name`; write `role/app/*`). Every other character is literal (`.`, `+`, `?`, … have no
//    special meaning). A prefix still matches every name that starts with it: `role/Dev*` admits
//    `role/DevOpsAdmin`, so prefer exact names.
// 4. A role pattern also admits the STS sessions of matching roles,
//    `arn:P:sts::A:assumed-role/R/<any session>` (same partition and account):
//    - `role/N` (no path): when `N`, which may contain `*`, matches the role name `R`;
//    - `role/path/N` (with a path): only when path and `N` are both literal and `N` equals `R`. STS
//      session ARNs do not carry the role path; role names are unique within an account, so a literal
//      name still identifies exactly one role. A role pattern with a path *and* a `*` (`role/app/*`,
//      `role/team-*/Dev`) admits no sessions, because the path cannot be checked: write the session
//      form `arn:P:sts::A:assumed-role/Name*/*` instead.
// 5. An assumed-role pattern `arn:P:sts::A:assumed-role/R/S` matches sessions directly (rule 3), e.g.
//    `assumed-role/AWSReservedSSO_Developer_*/*` for an IAM Identity Center permission set.
// 6. Names the caller chooses are not identities (`callerChosenNameReason` in `pattern.ts`): the broker
//    configuration refuses federated-user patterns and literal session names outside IAM Identity
//    Center roles unless the profile sets `allowCallerChosenNames`. Matching itself is unchanged.
import { globMatchArn, globMatchSegment } from "./glob.js";
import { validateAllowPattern } from "./pattern.js";
import { type PrincipalParts, parsePrincipal } from "./principal.js";

function matchesParsed(principalArn: string, principal: PrincipalParts, pattern: string): boolean {
  if (validateAllowPattern(pattern) !== undefined) return false;
  if (globMatchArn(pattern, principalArn)) return true;
  if (principal.assumedRole === undefined) return false;
  const [, partition, service, , account, resource] = pattern.split(":") as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (service !== "iam" || !resource.startsWith("role/")) return false;
  if (partition !== principal.partition || account !== principal.accountId) return false;
  const rest = resource.slice("role/".length);
  const slash = rest.lastIndexOf("/");
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (name === "") return false;
  if (path === "") return globMatchSegment(name, principal.assumedRole);
  return !rest.includes("*") && name === principal.assumedRole;
}

/**
 * Does `principalArn` match the allow `pattern`? See the rules in this file's header.
 *
 * @example
 * matchesAllowPattern("arn:aws:sts::123456789012:assumed-role/Dev/alice", "arn:aws:iam::123456789012:role/Dev") // true
 * matchesAllowPattern("arn:aws:iam::123456789012:role/Dev", "arn:aws:iam::12345678901*:role/Dev") // false (invalid pattern)
 */
export function matchesAllowPattern(principalArn: string, pattern: string): boolean {
  const principal = parsePrincipal(principalArn);
  if (!principal) return false;
  return matchesParsed(principalArn, principal, pattern);
}

/** Does `principalArn` match at least one of `patterns`? An empty list allows nobody. */
export function isPrincipalAllowed(principalArn: string, patterns: readonly string[]): boolean {
  const principal = parsePrincipal(principalArn);
  if (!principal) return false;
  for (const pattern of patterns) {
    if (matchesParsed(principalArn, principal, pattern)) return true;
  }
  return false;
}
