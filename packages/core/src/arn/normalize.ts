/**
 * Principal normalisation: the caller identity the broker sees (`requestContext.authorizer.iam.userArn`)
 * for a role is an STS session, `arn:aws:sts::A:assumed-role/R/S`; people think in roles,
 * `arn:aws:iam::A:role/R`. See `match.ts` for the full rules.
 */
import { parsePrincipal } from "./principal.js";

/**
 * Normalise a principal ARN:
 * - `arn:P:sts::A:assumed-role/R/S` → `arn:P:iam::A:role/R` (STS drops the role path, so the result has none);
 * - IAM users, roles (with their path), `root` and other IAM/STS principals → unchanged;
 * - anything that is not a well-formed IAM/STS principal (other services, regions, bad account ids,
 *   empty or over-long strings, wildcards) → `undefined`.
 */
export function normalizePrincipal(arn: string): string | undefined {
  const p = parsePrincipal(arn);
  if (!p) return undefined;
  if (p.assumedRole !== undefined) return `arn:${p.partition}:iam::${p.accountId}:role/${p.assumedRole}`;
  return arn;
}
