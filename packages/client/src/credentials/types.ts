/** AWS credentials as the SigV4 signer needs them (structurally the AWS SDK's `AwsCredentialIdentity`). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working; providers refresh before this. */
  expiration?: Date;
}

/** Returns current credentials; called before every signed broker request (providers memoize). */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;
