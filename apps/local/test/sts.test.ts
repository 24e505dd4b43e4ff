/**
 * AWS-native tokens on the local stack: `mcp-token --source sts` asks the STS stand-in
 * (GetWebIdentityToken through the real AWS SDK) with the caller's own credentials, no broker; the second
 * MCP server trusts the account's outbound issuer and its `whoami` sees the caller. The CLI bundle runs
 * as a child with the banner's environment (AWS_ENDPOINT_URL_STS points the SDK at the stand-in).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BUNDLE } from "../src/paths.js";
import { cliEnv, runCli } from "../src/runCli.js";
import { FREE_PORTS, LOCAL, type LocalStack, startLocalStack } from "../src/stack.js";

const A = LOCAL.accountId;
const DEVELOPER_ROLE = `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0123456789abcdef`;

let stack: LocalStack;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "mcp-token-sts-"));
  stack = await startLocalStack({
    ...FREE_PORTS,
    stateDir,
    quiet: true,
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const sts = (awsProfile: string, ...extra: string[]) => [
  "--source",
  "sts",
  "--audience",
  stack.info.sts.audience,
  "--aws-profile",
  awsProfile,
  "--no-cache",
  ...extra,
];

describe("local stack: --source sts (AWS IAM outbound identity federation)", () => {
  it("lists the STS endpoint and its issuer in stack.json", () => {
    expect(stack.info.sts).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      issuer: `${stack.info.sts.url}/tokens/${A}`,
      audience: LOCAL.stsAudience,
    });
    expect(stack.info.env.AWS_ENDPOINT_URL_STS).toBe(stack.info.sts.url);
  });

  it("prints a JWT for the developer whose aud, iss and principal are right", async () => {
    const before = stack.broker.invocations();
    const r = await runCli(["get", ...sts("developer")], cliEnv(stack.info));
    expect(r.exitCode, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: LOCAL.stsAudience,
      iss: stack.info.sts.issuer,
      sub: DEVELOPER_ROLE,
      "https://sts.amazonaws.com/": {
        principal_id: DEVELOPER_ROLE,
        aws_account: A,
        source_region: LOCAL.region,
      },
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(stack.broker.invocations()).toBe(before); // no broker involved
  });

  it("gives the outsider, who holds no sts:GetWebIdentityToken permission, a clear error", async () => {
    const r = await runCli(["get", ...sts("outsider")], cliEnv(stack.info));
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `STS refused GetWebIdentityToken (User: arn:aws:iam::${A}:user/outsider is not authorized to perform: sts:GetWebIdentityToken`,
    );
    expect(r.stderr).toContain(`needs sts:GetWebIdentityToken for audience ${LOCAL.stsAudience}`);
  });

  it("refuses usage mistakes before calling anything", async () => {
    const noAudience = await runCli(
      ["get", "--source", "sts", "--aws-profile", "developer"],
      cliEnv(stack.info),
    );
    expect(noAudience.exitCode).toBe(2);
    expect(noAudience.stderr).toContain("--source sts needs --audience <aud>");
    const global = await runCli(["get", ...sts("developer", "--region", "aws-global")], cliEnv(stack.info));
    expect(global.exitCode).not.toBe(0);
    expect(global.stderr).toContain("not available on the STS global endpoint");
  });

  it("serves a proxy session whose whoami sees the caller", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_BUNDLE, "proxy", stack.info.mcpSts.url, ...sts("developer")],
      env: cliEnv(stack.info),
      stderr: "pipe",
    });
    const client = new Client({ name: "sts-e2e", version: "1.0.0" });
    let who: {
      subject?: string;
      aws?: { principalId?: string; account?: string };
      audience: string[];
      verified: boolean;
    };
    try {
      await client.connect(transport);
      who = (await client.callTool({ name: "whoami", arguments: {} })).structuredContent as typeof who;
    } finally {
      await client.close();
    }
    expect(who).toMatchObject({
      verified: true,
      subject: DEVELOPER_ROLE,
      audience: [LOCAL.stsAudience],
      aws: { principalId: DEVELOPER_ROLE, account: A },
    });
  });

  it("doctor says it used STS and that the MCP server accepts the token", async () => {
    const r = await runCli(["doctor", stack.info.mcpSts.url, ...sts("developer")], cliEnv(stack.info));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain(`✓ Token source: AWS STS GetWebIdentityToken in ${LOCAL.region}`);
    expect(r.stdout).toContain(
      `✓ Caller in the token: sub ${DEVELOPER_ROLE}, principal_id ${DEVELOPER_ROLE}`,
    );
    expect(r.stdout).toMatch(/✓ MCP server accepts the token: .* 2 tools: add, whoami/);
    const outsider = await runCli(["doctor", ...sts("outsider")], cliEnv(stack.info));
    expect(outsider.exitCode).toBe(1);
    expect(outsider.stdout).toContain("✗ Token issued: STS refused GetWebIdentityToken");
    expect(outsider.stdout).toContain("attach a policy allowing sts:GetWebIdentityToken");
  });
});
