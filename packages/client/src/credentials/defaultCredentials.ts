import { toCredentialsError } from "./toCredentialsError.js";
import type { AwsCredentials, AwsCredentialsProvider } from "./types.js";

/**
 * The standard AWS Node provider chain (env, SSO, shared profiles, credential_process, web identity,
 * ECS and EC2 roles) for `awsProfile`, loaded lazily: the AWS SDK is imported on the first call
 * only, so a process that never needs fresh credentials (a warm disk cache) never loads it.
 * Failures become {@link CredentialsError}s naming the fix.
 *
 * Node.js only; in other runtimes pass `credentials` explicitly.
 */
export function nodeCredentialChain(awsProfile?: string): AwsCredentialsProvider {
  let provider: Promise<() => Promise<AwsCredentials>> | undefined;
  return async () => {
    try {
      provider ??= import("@aws-sdk/credential-providers").then((mod) => {
        // A bundler may hand the CommonJS build over as `default` only.
        const { fromNodeProviderChain } =
          "fromNodeProviderChain" in mod ? mod : (mod as { default: typeof mod }).default;
        return fromNodeProviderChain(awsProfile ? { profile: awsProfile } : {});
      });
      const credentials = await (await provider)();
      return credentials;
    } catch (error) {
      throw toCredentialsError(error, awsProfile ?? envProfile());
    }
  };
}

/** Accepts static credentials or a provider and returns a provider. */
export function toCredentialsProvider(
  credentials: AwsCredentials | AwsCredentialsProvider | undefined,
  awsProfile: string | undefined,
): AwsCredentialsProvider {
  if (credentials === undefined) return nodeCredentialChain(awsProfile);
  if (typeof credentials === "function") {
    return async () => {
      try {
        return await credentials();
      } catch (error) {
        throw toCredentialsError(error, awsProfile);
      }
    };
  }
  const fixed = credentials;
  return async () => fixed;
}

function envProfile(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.AWS_PROFILE || undefined;
}
