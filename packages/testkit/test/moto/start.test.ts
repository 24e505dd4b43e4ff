import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MotoServer, startMoto } from "../../src/index.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startMoto", () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
    expect(isAlive(moto.pid)).toBe(false);
  });

  it("listens on loopback and exposes env for child processes", () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(moto.env()).toEqual({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: "us-west-2",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    });
  });

  it("creates a secret, rotates it, and serves AWSCURRENT and AWSPREVIOUS to the real SDK", async () => {
    // Prepare
    const arn = await moto.createSecret("mcp-token/auth0-client", { clientSecret: "first" });
    const sm = moto.secretsManager();
    // Act
    const versionId = await moto.putSecretValue(arn, { clientSecret: "second" });
    const current = await sm.send(new GetSecretValueCommand({ SecretId: "mcp-token/auth0-client" }));
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: "mcp-token/auth0-client", VersionStage: "AWSPREVIOUS" }),
    );
    // Assess
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-west-2:\d{12}:secret:mcp-token\/auth0-client-/);
    expect(JSON.parse(current.SecretString ?? "")).toEqual({ clientSecret: "second" });
    expect(current.VersionId).toBe(versionId);
    expect(current.VersionStages).toContain("AWSCURRENT");
    expect(JSON.parse(previous.SecretString ?? "")).toEqual({ clientSecret: "first" });
  });

  it("stages a pending version without moving AWSCURRENT", async () => {
    const arn = await moto.createSecret("pending-demo", "v1");
    await moto.putSecretValue(arn, "v2", ["AWSPENDING"]);
    const sm = moto.secretsManager();
    expect((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe("v1");
    const pending = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: "AWSPENDING" }));
    expect(pending.SecretString).toBe("v2");
  });

  it("reset forgets every secret", async () => {
    await moto.createSecret("to-forget", "x");
    await moto.reset();
    await expect(
      moto.secretsManager().send(new GetSecretValueCommand({ SecretId: "to-forget" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("stop kills the process and leaves nothing behind", async () => {
    // Prepare: a second, short-lived server.
    const other = await startMoto();
    expect(isAlive(other.pid)).toBe(true);
    // Act
    await other.stop();
    await other.stop(); // idempotent
    // Assess: neither the process nor its process group survives.
    expect(isAlive(other.pid)).toBe(false);
    expect(() => process.kill(-other.pid, 0)).toThrow();
  });

  it("fails with a message naming the fix when moto_server is missing", async () => {
    await expect(startMoto({ command: "moto_server_definitely_missing" })).rejects.toThrow(
      "moto_server not found on PATH; install it with: python3 -m pip install 'moto[server]'",
    );
  });
});
