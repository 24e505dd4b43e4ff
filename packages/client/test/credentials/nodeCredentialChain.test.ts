import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultIdentities, writeAwsConfigFiles } from "@mcp-token/testkit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nodeCredentialChain } from "../../src/credentials/defaultCredentials.js";
import { toCredentialsError } from "../../src/credentials/toCredentialsError.js";
import { CredentialsError } from "../../src/errors/credentialsError.js";

describe("Function: nodeCredentialChain", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcp-token-creds-"));
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it("resolves a profile from the shared files through the AWS SDK provider chain", async () => {
    const { agent } = defaultIdentities();
    const files = await writeAwsConfigFiles(dir, [agent], "us-west-2");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", files.credentialsFile);
    vi.stubEnv("AWS_CONFIG_FILE", files.configFile);
    const credentials = await nodeCredentialChain("agent")();
    expect(credentials).toMatchObject({ accessKeyId: agent.accessKeyId, sessionToken: agent.sessionToken });
  });

  it("throws a CredentialsError naming `aws sso login --profile X` when nothing is found", async () => {
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "none"));
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "none"));
    const error = await nodeCredentialChain("ghost")().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      code: "ERR_AWS_CREDENTIALS_NOT_FOUND",
      awsProfile: "ghost",
      message:
        'No AWS credentials found for profile "ghost": run `aws sso login --profile ghost` if it uses IAM Identity Center, or `aws configure --profile ghost` for access keys.',
    });
  });
});

describe("Function: toCredentialsError", () => {
  it("maps an expired SSO session to `aws sso login`", () => {
    const sdk = Object.assign(
      new Error("The SSO session associated with this profile has expired. To refresh…"),
      {
        name: "CredentialsProviderError",
      },
    );
    expect(toCredentialsError(sdk, "dev")).toMatchObject({
      code: "ERR_AWS_SSO_SESSION_EXPIRED",
      message:
        'The AWS SSO session for profile "dev" has expired or is missing: run `aws sso login --profile dev` and try again.',
    });
  });

  it("maps a missing default chain to `aws configure`", () => {
    const sdk = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(toCredentialsError(sdk, undefined).message).toBe(
      "No AWS credentials found: run `aws sso login --profile <name>` and pass --aws-profile <name> (or set AWS_PROFILE), or run `aws configure`.",
    );
  });
});
