/**
 * ARN parsing: `arn:<partition>:<service>:<region>:<account-id>:<resource>`.
 *
 * The first five `:` separate the fields; the resource is everything after the fifth and may itself
 * contain `:` (other services use that). ARNs longer than {@link MAX_ARN_LENGTH} characters, with
 * characters outside printable ASCII, or with a malformed partition, service, region or account id are
 * rejected (`undefined`), never thrown: ARNs come from the network.
 */

/** Longest ARN accepted anywhere in mcp-token, in characters. */
export const MAX_ARN_LENGTH = 2048;

/** The fields of an ARN. */
export interface ParsedArn {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, … */
  partition: string;
  /** `iam`, `sts`, `lambda`, … */
  service: string;
  /** Region, empty for global services such as IAM and STS. */
  region: string;
  /** 12-digit account id, `aws` (AWS-managed resources) or empty (e.g. S3). */
  accountId: string;
  /** Everything after the fifth `:`: `role/path/Name`, `assumed-role/Name/session`, … */
  resource: string;
}

const PARTITION = /^aws(?:-[a-z]+){0,3}$/;
const SERVICE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REGION = /^(?:[a-z0-9-]{1,32})?$/;
const ACCOUNT = /^(?:\d{12}|aws)?$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * Parse an ARN into its fields, or `undefined` if it is not a well-formed ARN.
 *
 * @example parseArn("arn:aws:iam::123456789012:role/Dev")
 * // { partition: "aws", service: "iam", region: "", accountId: "123456789012", resource: "role/Dev" }
 */
export function parseArn(arn: string): ParsedArn | undefined {
  if (typeof arn !== "string" || arn.length > MAX_ARN_LENGTH || !arn.startsWith("arn:")) return undefined;
  if (!PRINTABLE.test(arn)) return undefined;
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(":");
  if (
    !PARTITION.test(partition) ||
    !SERVICE.test(service) ||
    !REGION.test(region) ||
    !ACCOUNT.test(accountId)
  ) {
    return undefined;
  }
  if (resource === "") return undefined;
  return { partition, service, region, accountId, resource };
}
