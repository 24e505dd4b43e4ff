/** A local AWS principal the emulator accepts SigV4 signatures from. */
export interface LocalIdentity {
  /** Profile name in the generated AWS config files. */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials: requests must then carry it as `x-amz-security-token`. */
  sessionToken?: string;
  /** `userArn` in the event, e.g. `arn:aws:sts::123456789012:assumed-role/Role/session`. */
  principalArn: string;
  /** The principal's account (`authorizer.iam.accountId`). */
  accountId: string;
  /** `authorizer.iam.userId`; default derived from the ARN (`AROA…:session` for roles, `AIDA…` for users). */
  userId?: string;
  /** `authorizer.iam.callerId`; default `userId`. */
  callerId?: string;
  /**
   * Whether an identity policy grants this principal `lambda:InvokeFunctionUrl` and
   * `lambda:InvokeFunction` on the function. Default `true`. With `false` the emulator answers Lambda's
   * 403 `{"Message":"Forbidden"}` after a valid signature, and the handler never runs: a principal
   * without the grant cannot reach the broker in AWS either.
   */
  mayInvoke?: boolean;
}

const DEFAULT_ACCOUNT = "123456789012";

/**
 * Four ready-made identities: `developer` (an IAM Identity Center role session, temporary
 * credentials), `agent` (an assumed role, temporary credentials), `outsider` (an IAM user with a
 * long-term key, granted invoke but in no broker allow list) and `bystander` (an assumed role that is
 * authenticated but holds no invoke grant: Lambda refuses it before the function runs). Keys are fixed,
 * fake and only meaningful to the emulator.
 *
 * @param opts.accountId account of all four; default "123456789012".
 */
export function defaultIdentities(opts: { accountId?: string } = {}): {
  developer: LocalIdentity;
  agent: LocalIdentity;
  outsider: LocalIdentity;
  bystander: LocalIdentity;
} {
  const a = opts.accountId ?? DEFAULT_ACCOUNT;
  if (!/^\d{12}$/.test(a)) throw new TypeError('"opts.accountId" must be 12 digits');
  return {
    developer: {
      name: "developer",
      accessKeyId: "ASIALOCALDEVELOPER01",
      secretAccessKey: "localDeveloperSecretKey0000000000000000001",
      sessionToken: "IQoJb3JpZ2luX2VjEKLOCALDEVELOPERSESSIONTOKEN0001",
      principalArn: `arn:aws:sts::${a}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice`,
      accountId: a,
      userId: "AROALOCALDEVELOPER001:alice",
    },
    agent: {
      name: "agent",
      accessKeyId: "ASIALOCALAGENT000001",
      secretAccessKey: "localAgentSecretKey000000000000000000000001",
      sessionToken: "IQoJb3JpZ2luX2VjEKLOCALAGENTSESSIONTOKEN00000001",
      principalArn: `arn:aws:sts::${a}:assumed-role/mcp-agent/agent-session`,
      accountId: a,
      userId: "AROALOCALAGENT0000001:agent-session",
    },
    outsider: {
      name: "outsider",
      accessKeyId: "AKIALOCALOUTSIDER001",
      secretAccessKey: "localOutsiderSecretKey000000000000000000001",
      principalArn: `arn:aws:iam::${a}:user/outsider`,
      accountId: a,
      userId: "AIDALOCALOUTSIDER0001",
    },
    bystander: {
      name: "bystander",
      accessKeyId: "ASIALOCALBYSTANDER01",
      secretAccessKey: "localBystanderSecretKey00000000000000000001",
      sessionToken: "IQoJb3JpZ2luX2VjEKLOCALBYSTANDERSESSIONTOKEN001",
      principalArn: `arn:aws:sts::${a}:assumed-role/ci-runner/build-42`,
      accountId: a,
      userId: "AROALOCALBYSTANDER001:build-42",
      mayInvoke: false,
    },
  };
}

/** `userId` of an identity: explicit, or derived from its ARN like IAM does (placeholder unique ids). */
export function userIdOf(identity: LocalIdentity): string {
  if (identity.userId) return identity.userId;
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(identity.principalArn);
  if (assumed) return `AROA${uniqueSuffix(assumed[1] ?? "")}:${assumed[2]}`;
  return `AIDA${uniqueSuffix(identity.principalArn)}`;
}

function uniqueSuffix(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(36).toUpperCase().padStart(17, "X").slice(0, 17);
}
