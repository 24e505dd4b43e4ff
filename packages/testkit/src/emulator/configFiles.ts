import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LocalIdentity } from "./identities.js";

const SAFE_NAME = /^[A-Za-z0-9_.+=,@-]+$/;

/**
 * Write an AWS shared credentials file and config file with one profile per identity (profile name =
 * `identity.name`, region = `region`), both mode 0600, so clients use the standard credential chain:
 * `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `AWS_PROFILE`.
 *
 * @param dir directory to write `credentials` and `config` into (created if missing).
 */
export async function writeAwsConfigFiles(
  dir: string,
  identities: LocalIdentity[],
  region: string,
): Promise<{ credentialsFile: string; configFile: string }> {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new TypeError(`"region" must be an AWS region, got "${region}"`);
  const credentials: string[] = [];
  const config: string[] = [];
  for (const [i, id] of identities.entries()) {
    if (!SAFE_NAME.test(id.name)) throw new TypeError(`"identities[${i}].name" is not a valid profile name`);
    credentials.push(
      `[${id.name}]`,
      `aws_access_key_id = ${id.accessKeyId}`,
      `aws_secret_access_key = ${id.secretAccessKey}`,
    );
    if (id.sessionToken) credentials.push(`aws_session_token = ${id.sessionToken}`);
    credentials.push("");
    config.push(id.name === "default" ? "[default]" : `[profile ${id.name}]`, `region = ${region}`, "");
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const credentialsFile = join(dir, "credentials");
  const configFile = join(dir, "config");
  await writeFile(credentialsFile, credentials.join("\n"), { mode: 0o600 });
  await writeFile(configFile, config.join("\n"), { mode: 0o600 });
  await chmod(credentialsFile, 0o600);
  await chmod(configFile, 0o600);
  return { credentialsFile, configFile };
}
