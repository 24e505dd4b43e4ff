/**
 * IAM principal shapes, shared by normalisation and matching (see `match.ts` for the rules).
 */
import { parseArn } from "./parse.js";

/** Characters allowed in IAM/STS names and paths that we accept in a principal's resource. */
export const PRINCIPAL_RESOURCE = /^[A-Za-z0-9+=,.@_/-]+$/;

/** A principal ARN split into the parts matching needs. */
export interface PrincipalParts {
  partition: string;
  service: "iam" | "sts";
  accountId: string;
  resource: string;
  /** For `arn:…:sts::A:assumed-role/R/S`: the role name `R`. */
  assumedRole?: string;
  /** For `arn:…:sts::A:assumed-role/R/S`: the session name `S`. */
  session?: string;
}

/**
 * Parse an IAM or STS principal ARN (region empty, 12-digit account, resource of IAM name characters).
 * Assumed-role ARNs must be exactly `assumed-role/<role>/<session>` with both parts non-empty.
 */
export function parsePrincipal(arn: string): PrincipalParts | undefined {
  const p = parseArn(arn);
  if (
    !p ||
    (p.service !== "iam" && p.service !== "sts") ||
    p.region !== "" ||
    !/^\d{12}$/.test(p.accountId)
  ) {
    return undefined;
  }
  if (!PRINCIPAL_RESOURCE.test(p.resource)) return undefined;
  const parts: PrincipalParts = {
    partition: p.partition,
    service: p.service,
    accountId: p.accountId,
    resource: p.resource,
  };
  if (p.service === "sts" && p.resource.startsWith("assumed-role/")) {
    const rest = p.resource.slice("assumed-role/".length).split("/");
    if (rest.length !== 2 || rest[0] === "" || rest[1] === "") return undefined;
    parts.assumedRole = rest[0] as string;
    parts.session = rest[1] as string;
  }
  return parts;
}
