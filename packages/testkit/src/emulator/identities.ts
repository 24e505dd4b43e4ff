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
}

const DEFAULT_ACCOUNT = "123456789012";

/**
 * Three ready-made identities: `developer` (an IAM Identity Center role session, temporary
 * credentials), `agent` (an assumed role, temporary credentials) and `outsider` (an IAM user with a
 * long-term key). Keys are fixed, fake and only meaningful to the emulator.
 *
 * @param opts.accountId account of all three; default "123456789012".
 */
export function defaultIdentities(opts: { accountId?: string } = {}): {
  developer: LocalIdentity;
  agent: LocalIdentity;
  outsider: LocalIdentity;
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
