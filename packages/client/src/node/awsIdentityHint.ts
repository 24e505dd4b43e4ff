// A cheap AWS identity fingerprint, read from the environment and the shared config files without
// loading the AWS SDK, so `mcp-token headers` can find its disk-cache entry in a few milliseconds.
// It only answers for cases where the files alone determine the identity, and mirrors the SDK's
// provider chain for them:
//   - no profile selected and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY set → that access key id;
//   - a profile with static keys (and no role_arn / credential_process / SSO / web identity) → its key id;
//   - an IAM Identity Center (SSO) profile → hash of start URL, account, role and the cached SSO
//     access token, so a new `aws sso login` (possibly as another person) gets a new cache key.
// Anything else (assume-role chains, processes, container and instance roles) returns undefined and
// the caller falls back to the access key id of the credentials the SDK resolves.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Options of {@link awsIdentityHint}. */
export interface AwsIdentityHintOptions {
  /** The AWS profile the caller will use (`--aws-profile`). Default: `AWS_PROFILE`, then `default`. */
  awsProfile?: string;
  /** Environment. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Home directory. Default: `os.homedir()`. */
  home?: string;
  /** Clock for SSO token expiry (epoch ms). Default: `Date.now`. */
  now?: () => number;
}

/**
 * Returns an AWS identity fingerprint (`akid:<access key id>` or `sso:<hash>`) when it can be read
 * from the environment and shared config files alone, else `undefined`.
 */
export async function awsIdentityHint(options: AwsIdentityHintOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const now = options.now ?? Date.now;
  const profile = options.awsProfile || env.AWS_PROFILE || undefined;
  if (!profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return `akid:${env.AWS_ACCESS_KEY_ID}`;
  const name = profile ?? "default";
  const [credentialsText, configText] = await Promise.all([
    readSmall(env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials")),
    readSmall(env.AWS_CONFIG_FILE || join(home, ".aws", "config")),
  ]);
  const credentials = parseIni(credentialsText ?? "");
  const config = parseIni(configText ?? "");
  const fromConfig =
    config.get(`profile ${name}`) ?? (name === "default" ? config.get("default") : undefined);
  const merged = {
    ...Object.fromEntries(fromConfig ?? []),
    ...Object.fromEntries(credentials.get(name) ?? []),
  };
  const delegated = [
    "role_arn",
    "credential_source",
    "credential_process",
    "web_identity_token_file",
    "login_session",
  ];
  if (delegated.some((k) => merged[k])) return undefined;
  if (merged.aws_access_key_id && merged.aws_secret_access_key) return `akid:${merged.aws_access_key_id}`;
  if (merged.sso_session || merged.sso_start_url) {
    const session = merged.sso_session;
    const startUrl = session
      ? config.get(`sso-session ${session}`)?.get("sso_start_url")
      : merged.sso_start_url;
    if (!startUrl || !merged.sso_account_id || !merged.sso_role_name) return undefined;
    const tokenFile = join(
      home,
      ".aws",
      "sso",
      "cache",
      `${createHash("sha1")
        .update(session ?? startUrl)
        .digest("hex")}.json`,
    );
    const token = parseSsoToken(await readSmall(tokenFile), now());
    if (!token) return undefined;
    const digest = createHash("sha256")
      .update(JSON.stringify([startUrl, merged.sso_account_id, merged.sso_role_name, token]))
      .digest("hex");
    return `sso:${digest.slice(0, 40)}`;
  }
  return undefined;
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const text = await readFile(path, "utf8");
    return text.length > MAX_CONFIG_BYTES ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Minimal INI reader matching the AWS shared-file format (sections, `key = value`, comments). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s/.test(raw)) continue; // nested sub-properties
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      const sectionName = (header[1] as string).replace(/\s+/g, " ");
      current = sections.get(sectionName) ?? new Map();
      sections.set(sectionName, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || !current) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

function parseSsoToken(text: string | undefined, nowMs: number): string | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { accessToken?: unknown; expiresAt?: unknown };
    if (typeof value.accessToken !== "string" || typeof value.expiresAt !== "string") return undefined;
    const expires = Date.parse(value.expiresAt);
    if (!Number.isFinite(expires) || expires <= nowMs) return undefined;
    return createHash("sha256").update(value.accessToken).digest("hex");
  } catch {
    return undefined;
  }
}
