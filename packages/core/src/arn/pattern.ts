/**
 * Validation of `allow` patterns (see `match.ts` for the matching rules). A pattern is accepted only if
 * it can never match more than its author could reasonably mean:
 *
 * - `arn:<partition>:<iam|sts>::<account>:<resource>`, at most 2048 characters, exactly six fields;
 * - partition, service and account id are literal: the account id is exactly 12 digits, so
 *   `arn:aws:iam::12345678901*:role/Dev` is rejected rather than matching 10 accounts;
 * - the region is empty (IAM and STS principals have none);
 * - the resource starts with a literal type: `role/…`, `user/…` or `root` for `iam`;
 *   `assumed-role/…` or `federated-user/…` for `sts`;
 * - the resource uses IAM name characters (`A-Z a-z 0-9 + = , . @ _ / -`) plus `*`; anything else
 *   (regex syntax such as `(`, `[`, `?`, `^`, `$`, `|`, or spaces) is rejected.
 */
import { MAX_ARN_LENGTH } from "./parse.js";

const PARTITION = /^aws(?:-[a-z]+){0,3}$/;
const RESOURCE_CHARS = /^[A-Za-z0-9+=,.@_/*-]+$/;
const RESOURCE_TYPES: Record<"iam" | "sts", readonly string[]> = {
  iam: ["role/", "user/"],
  sts: ["assumed-role/", "federated-user/"],
};

function show(pattern: string): string {
  const shown = pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern;
  return JSON.stringify(shown);
}

/**
 * Check an `allow` pattern.
 *
 * @returns `undefined` when valid, else a message such as
 *   `expected an IAM ARN pattern, got "arn:aws:iam::12345678901*:role/Dev": the account id must be 12 literal digits`.
 */
export function validateAllowPattern(pattern: string): string | undefined {
  if (typeof pattern !== "string") return `expected an IAM ARN pattern string, got ${typeof pattern}`;
  const fail = (reason: string) => `expected an IAM ARN pattern, got ${show(pattern)}: ${reason}`;
  if (pattern === "") return fail("it is empty; use e.g. arn:aws:iam::123456789012:role/Name");
  if (pattern.length > MAX_ARN_LENGTH) return fail(`it is longer than ${MAX_ARN_LENGTH} characters`);
  const parts = pattern.split(":");
  if (parts[0] !== "arn" || parts.length < 6) {
    return fail("it must look like arn:aws:iam::123456789012:role/Name (six ':'-separated fields)");
  }
  if (parts.length > 6) return fail("the resource must not contain ':'");
  const [, partition, service, region, account, resource] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!PARTITION.test(partition)) return fail("the partition must be literal (aws, aws-cn, aws-us-gov, …)");
  if (service !== "iam" && service !== "sts") return fail("the service must be iam or sts");
  if (region !== "") return fail("the region must be empty for IAM and STS principals");
  if (!/^\d{12}$/.test(account)) return fail("the account id must be 12 literal digits (no '*')");
  if (resource === "") return fail("the resource is empty");
  if (!RESOURCE_CHARS.test(resource)) {
    return fail("the resource may only contain IAM name characters (A-Z a-z 0-9 + = , . @ _ / -) and '*'");
  }
  if (service === "iam" && resource === "root") return undefined;
  const types = RESOURCE_TYPES[service];
  const type = types.find((t) => resource.startsWith(t));
  if (type === undefined) {
    const expected = service === "iam" ? "role/…, user/… or root" : "assumed-role/… or federated-user/…";
    return fail(`the resource of an ${service} pattern must start with ${expected}`);
  }
  if (resource.length === type.length) return fail(`nothing follows "${type}"`);
  return undefined;
}

/** Role names IAM Identity Center creates for permission sets; it sets their session names itself. */
const IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

/**
 * Does `pattern` identify callers by a name the caller chooses? IAM guarantees the account, and the
 * names of IAM users and roles (only someone with `iam:Create*` in that account makes them). It does
 * not guarantee:
 *
 * - **federated-user names** (`arn:aws:sts::A:federated-user/<name>`): whoever calls
 *   `GetFederationToken` picks `<name>`;
 * - **assumed-role session names** (`assumed-role/<role>/<session>`): whoever calls `AssumeRole` picks
 *   `<session>`, so a pattern with any role and the session "alice" admits anyone who can assume a role and say "alice", and
 *   `assumed-role/Admin/alice` admits anyone who can assume Admin. The exception is IAM Identity
 *   Center: it names the sessions of its `AWSReservedSSO_…` roles after the signed-in user, so a
 *   literal session under such a role names a person.
 *
 * A session part that is only `*` (any session) trusts nothing caller-chosen.
 *
 * @returns why the pattern trusts a caller-chosen name, or `undefined` when it does not (also for
 *   patterns that {@link validateAllowPattern} refuses).
 */
export function callerChosenNameReason(pattern: string): string | undefined {
  if (validateAllowPattern(pattern) !== undefined) return undefined;
  const [, , service, , , resource] = pattern.split(":") as [string, string, string, string, string, string];
  if (service !== "sts") return undefined;
  if (resource.startsWith("federated-user/")) {
    return "it trusts a federated-user name, which whoever calls sts:GetFederationToken chooses";
  }
  const rest = resource.slice("assumed-role/".length);
  const slash = rest.indexOf("/");
  if (slash === -1) return undefined;
  const role = rest.slice(0, slash);
  const session = rest.slice(slash + 1);
  if (/^\*+$/.test(session)) return undefined;
  if (role.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) return undefined;
  return role.includes("*")
    ? "it trusts a session name under a wildcard role; whoever can assume any matching role chooses the session name"
    : `it trusts a session name; whoever can assume role ${role} chooses the session name (only IAM Identity Center's AWSReservedSSO_… roles have session names set for you)`;
}
