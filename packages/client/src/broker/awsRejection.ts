import { BrokerError } from "@mcp-token/core";
import { CredentialsError } from "../errors/credentialsError.js";

/**
 * Recognises a rejection by the Function URL itself (AWS-shaped `{"Message": …}` body, no broker
 * `error` code): IAM denied the invocation, the signature did not match, or the credentials
 * expired. Returns `undefined` for anything else, which is then read as a broker error.
 */
export function awsRejection(
  status: number,
  text: string,
  awsProfile: string | undefined,
): Error | undefined {
  if (status !== 403 && status !== 401) return undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body && typeof body === "object" && !("error" in body)) {
      const value = body.Message ?? body.message;
      if (typeof value === "string") message = value;
    }
  } catch {
    return undefined;
  }
  if (message === undefined) return undefined;
  const profileFlag = awsProfile ? ` --profile ${awsProfile}` : "";
  const opts = awsProfile ? { awsProfile } : {};
  if (/security token included in the request is expired|ExpiredToken/i.test(message)) {
    return new CredentialsError(
      "ERR_AWS_CREDENTIALS_EXPIRED",
      `AWS rejected the request because your credentials have expired: run \`aws sso login${profileFlag}\` (or refresh your keys) and try again.`,
      opts,
    );
  }
  if (/security token included in the request is invalid|UnrecognizedClient/i.test(message)) {
    return new CredentialsError(
      "ERR_AWS_CREDENTIALS_INVALID",
      `AWS does not recognise your credentials (${truncate(message)}): run \`aws sso login${profileFlag}\` or \`aws configure${profileFlag}\` and try again.`,
      opts,
    );
  }
  if (/signature expired|not yet current|request time/i.test(message)) {
    return new BrokerError(
      "unauthorized",
      `AWS rejected the request time (${truncate(message)}): your system clock is off; sync it (e.g. enable NTP) and try again.`,
    );
  }
  if (/scoped to a valid region/i.test(message)) {
    return new BrokerError(
      "unauthorized",
      `The broker's Function URL expects requests signed for another region (${truncate(message)}): pass the broker's region with --region (or AWS_REGION).`,
    );
  }
  if (/signature/i.test(message)) {
    return new BrokerError(
      "unauthorized",
      `The broker's Function URL rejected the SigV4 signature (${truncate(message)}): check that --region matches the broker's region.`,
    );
  }
  return new BrokerError(
    "access_denied",
    `The broker's Function URL refused the call (HTTP ${status}: ${truncate(message)}): your AWS principal needs lambda:InvokeFunctionUrl and lambda:InvokeFunction on the broker function; ask an admin, or run \`mcp-token doctor\`.`,
  );
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
