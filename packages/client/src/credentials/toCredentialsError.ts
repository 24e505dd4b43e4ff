import { CredentialsError } from "../errors/credentialsError.js";

/**
 * Turns an AWS SDK credential-provider failure into a {@link CredentialsError} whose message names
 * the command that fixes it. The SDK's own text is kept as `cause` only.
 */
export function toCredentialsError(error: unknown, awsProfile: string | undefined): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const name = error instanceof Error ? error.name : "";
  const text = error instanceof Error ? error.message : String(error);
  const profileFlag = awsProfile ? ` --profile ${awsProfile}` : "";
  const opts = { cause: error, ...(awsProfile ? { awsProfile } : {}) };
  if (/\bSSO\b/i.test(text) && /expired|invalid|not found|refresh/i.test(text)) {
    return new CredentialsError(
      "ERR_AWS_SSO_SESSION_EXPIRED",
      `The AWS SSO session${awsProfile ? ` for profile "${awsProfile}"` : ""} has expired or is missing: run \`aws sso login${profileFlag}\` and try again.`,
      opts,
    );
  }
  if (
    name === "CredentialsProviderError" ||
    name === "TokenProviderError" ||
    /could not load credentials|was not found|could not resolve credentials/i.test(text)
  ) {
    const where = awsProfile ? ` for profile "${awsProfile}"` : "";
    const fix = awsProfile
      ? `run \`aws sso login --profile ${awsProfile}\` if it uses IAM Identity Center, or \`aws configure --profile ${awsProfile}\` for access keys`
      : "run `aws sso login --profile <name>` and pass --aws-profile <name> (or set AWS_PROFILE), or run `aws configure`";
    return new CredentialsError(
      "ERR_AWS_CREDENTIALS_NOT_FOUND",
      `No AWS credentials found${where}: ${fix}.`,
      opts,
    );
  }
  return new CredentialsError(
    "ERR_AWS_CREDENTIALS_UNAVAILABLE",
    `Could not obtain AWS credentials${awsProfile ? ` for profile "${awsProfile}"` : ""} (${firstLine(text)}); check the profile with \`aws sts get-caller-identity${profileFlag}\`.`,
    opts,
  );
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
