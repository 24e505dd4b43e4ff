import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultIdentities, writeAwsConfigFiles } from "@mcp-token/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsIdentityHint } from "../../src/node/awsIdentityHint.js";

describe("Function: awsIdentityHint", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "mcp-token-hint-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("uses the env access key id when no profile is selected", async () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "s" };
    expect(await awsIdentityHint({ env, home })).toBe("akid:AKIAENV");
    // With a profile selected the SDK skips env credentials, and so does the hint.
    expect(await awsIdentityHint({ env: { ...env, AWS_PROFILE: "nope" }, home })).toBeUndefined();
  });

  it("reads static keys of the selected profile from the shared files", async () => {
    const ids = defaultIdentities();
    const files = await writeAwsConfigFiles(join(home, "aws"), [ids.developer, ids.agent], "us-west-2");
    const env = { AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile, AWS_CONFIG_FILE: files.configFile };
    expect(await awsIdentityHint({ env, home, awsProfile: "agent" })).toBe(`akid:${ids.agent.accessKeyId}`);
    expect(await awsIdentityHint({ env: { ...env, AWS_PROFILE: "developer" }, home })).toBe(
      `akid:${ids.developer.accessKeyId}`,
    );
  });

  it("gives up (undefined) for profiles whose identity needs the SDK: roles, processes", async () => {
    await mkdir(join(home, ".aws"));
    await writeFile(
      join(home, ".aws", "config"),
      "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n[profile proc]\ncredential_process = /bin/true\n",
    );
    await writeFile(
      join(home, ".aws", "credentials"),
      "[role]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n",
    );
    expect(await awsIdentityHint({ env: {}, home, awsProfile: "role" })).toBeUndefined();
    expect(await awsIdentityHint({ env: {}, home, awsProfile: "proc" })).toBeUndefined();
    expect(await awsIdentityHint({ env: {}, home, awsProfile: "missing" })).toBeUndefined();
  });

  it("fingerprints an SSO profile by its cached login, changing after a new login and absent once expired", async () => {
    // Prepare
    await mkdir(join(home, ".aws", "sso", "cache"), { recursive: true });
    await writeFile(
      join(home, ".aws", "config"),
      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    const tokenFile = join(
      home,
      ".aws",
      "sso",
      "cache",
      `${createHash("sha1").update("corp").digest("hex")}.json`,
    );
    const login = (accessToken: string, expiresAt: string) =>
      writeFile(tokenFile, JSON.stringify({ accessToken, expiresAt }));
    const now = () => Date.parse("2026-01-01T00:00:00Z");
    // Act
    await login("first-login", "2026-01-01T08:00:00Z");
    const first = await awsIdentityHint({ env: {}, home, awsProfile: "dev", now });
    await login("second-login", "2026-01-01T08:00:00Z");
    const second = await awsIdentityHint({ env: {}, home, awsProfile: "dev", now });
    await login("second-login", "2025-12-31T23:00:00Z");
    const expired = await awsIdentityHint({ env: {}, home, awsProfile: "dev", now });
    // Assess
    expect(first).toMatch(/^sso:[0-9a-f]{40}$/);
    expect(second).toMatch(/^sso:[0-9a-f]{40}$/);
    expect(second).not.toBe(first);
    expect(expired).toBeUndefined();
  });
});
