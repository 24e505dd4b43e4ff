import { cp, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { AUDIENCE, BUNDLE, type Stack, startStack } from "../support/stack.js";

describe("mcp-token get / headers (bundle, local stack)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("get prints a working token for a local AWS profile, and nothing else on stdout", async () => {
    // Act
    const result = await runCli(["get", "--aws-profile", "developer", "--no-cache"], stack.env);
    // Assess
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ aud: AUDIENCE, client_id: "mcp-token-broker" });
    const res = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${result.stdout.trim()}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    expect(res.status).toBe(200);
  });

  it("get --json prints the token with its expiry", async () => {
    const result = await runCli(["get", "--json", "--aws-profile", "agent", "--no-cache"], stack.env);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ token_type: "Bearer", profile: "default", scope: "invoke" });
    expect(out.expires_in).toBeGreaterThan(3500);
    expect(Date.parse(out.expires_at as string)).toBeGreaterThan(Date.now());
  });

  it("headers prints the Authorization header; a second call is served from the 0600 disk cache without a broker request", async () => {
    // Prepare
    const env = { ...stack.env, AWS_PROFILE: "developer" };
    const before = stack.broker.invocations();
    // Act
    const first = await runCli(["headers"], env);
    const afterFirst = stack.broker.invocations();
    const second = await runCli(["headers"], env);
    // Assess
    expect(first).toMatchObject({ exitCode: 0, stderr: "" });
    expect(JSON.parse(first.stdout)).toEqual({
      Authorization: expect.stringMatching(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/),
    });
    expect(second.stdout).toBe(first.stdout);
    expect(afterFirst - before).toBe(1);
    expect(stack.broker.invocations()).toBe(afterFirst);
    const cacheDir = join(stack.env.XDG_CACHE_HOME as string, "mcp-token");
    const files = await readdir(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    for (const f of files) expect((await stat(join(cacheDir, f))).mode & 0o777).toBe(0o600);
  });

  it("never answers one AWS identity from another identity's cache entry", async () => {
    // Prepare: a fresh cache holding the developer's token
    const env = { ...stack.env, XDG_CACHE_HOME: join(stack.dir, "cache-identities") };
    const cacheDir = join(env.XDG_CACHE_HOME, "mcp-token");
    const dev = await runCli(["headers", "--aws-profile", "developer"], env);
    const before = stack.broker.invocations();
    // Act
    const outsider = await runCli(["headers", "--aws-profile", "outsider"], env);
    const agent = await runCli(["headers", "--aws-profile", "agent"], env);
    // Assess: the outsider is refused by the broker instead of being served the cached token
    expect(dev.exitCode).toBe(0);
    expect(outsider).toMatchObject({ exitCode: 4, stdout: "" });
    expect(agent.exitCode).toBe(0);
    expect(stack.broker.invocations() - before).toBe(2);
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it("answers warm headers and get calls without loading zod, the AWS SDK, the signer or the MCP code", async () => {
    // Prepare: a warm cache, and a copy of the bundle without any chunk holding zod, AWS SDK,
    // smithy or MCP proxy code (a warm call that tried to load one would fail to start)
    const env = { ...stack.env, AWS_PROFILE: "agent" };
    const cold = await runCli(["headers"], env);
    const copy = await mkdtemp(join(tmpdir(), "mcp-token-bundle-"));
    try {
      const dist = dirname(BUNDLE);
      await cp(dist, copy, { recursive: true });
      const meta = JSON.parse(await readFile(join(dist, "meta.json"), "utf8")) as {
        outputs: Record<string, { inputs: Record<string, unknown> }>;
      };
      const removed: string[] = [];
      for (const [out, { inputs }] of Object.entries(meta.outputs)) {
        const heavy = Object.keys(inputs).some((i) =>
          /node_modules\/(zod|@aws-sdk|@smithy|@aws-crypto|@modelcontextprotocol)\/|src\/mcp\/remoteMcp\.ts/.test(
            i,
          ),
        );
        if (heavy) {
          await rm(join(copy, out.replace(/^dist\//, "")));
          removed.push(out);
        }
      }
      const zodChunks = removed.filter((out) =>
        Object.keys(meta.outputs[out]?.inputs ?? {}).some((i) => i.includes("node_modules/zod/")),
      );
      expect(zodChunks.length).toBeGreaterThan(0);
      expect(removed.length).toBeGreaterThan(2);
      const bundle = join(copy, "mcp-token.mjs");
      // Act
      const headers = await runCli(["headers"], env, undefined, bundle);
      const get = await runCli(["get", "--json"], env, undefined, bundle);
      const miss = await runCli(["headers", "--no-cache"], env, undefined, bundle);
      // Assess: both served from the disk cache; a miss does need the removed chunks
      expect(headers).toMatchObject({ exitCode: 0, stderr: "", stdout: cold.stdout });
      expect(get).toMatchObject({ exitCode: 0, stderr: "" });
      expect(`Bearer ${JSON.parse(get.stdout).access_token}`).toBe(JSON.parse(cold.stdout).Authorization);
      expect(miss.exitCode).not.toBe(0);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it("an outsider gets a clear access_denied message and exit code 4", async () => {
    const result = await runCli(["get", "--aws-profile", "outsider"], stack.env);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^mcp-token get: .*\[access_denied, request id [\w-]+\]\n$/);
    expect(result.stderr).toContain("arn:aws:iam::123456789012:user/outsider");
  });

  it("a principal without the invoke grant is refused by the Function URL itself, with the IAM fix named (exit 4)", async () => {
    // The emulator answers Lambda's 403 {"Message":"Forbidden"} before the broker runs (issue 14).
    const result = await runCli(["get", "--aws-profile", "bystander"], stack.env);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("needs lambda:InvokeFunctionUrl and lambda:InvokeFunction");
  });

  it("without AWS credentials prints the CredentialsError text and exits 3", async () => {
    const env = {
      ...stack.env,
      AWS_SHARED_CREDENTIALS_FILE: join(stack.dir, "none"),
      AWS_CONFIG_FILE: join(stack.dir, "none"),
    };
    const result = await runCli(["headers", "--aws-profile", "ghost"], env);
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: "",
      stderr:
        'mcp-token headers: No AWS credentials found for profile "ghost": run `aws sso login --profile ghost` if it uses IAM Identity Center, or `aws configure --profile ghost` for access keys.\n',
    });
  });

  it("without a broker URL is a usage error (exit 2) naming the flag and variable", async () => {
    const { MCP_TOKEN_BROKER_URL: _, ...env } = stack.env;
    const result = await runCli(["get"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("pass --broker <function-url> or set MCP_TOKEN_BROKER_URL");
  });
});
