import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultIdentities,
  type FunctionUrlEmulator,
  loadHandler,
  startFunctionUrlEmulator,
  writeAwsConfigFiles,
} from "../../src/index.js";

const run = promisify(execFile);
const ids = defaultIdentities({ accountId: "210987654321" });

describe("writeAwsConfigFiles and loadHandler", () => {
  let dir: string;
  let fn: FunctionUrlEmulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "testkit-aws-"));
    // A handler module on disk, as an esbuild bundle would be.
    await writeFile(
      join(dir, "bundle.mjs"),
      "export const handler = async (event) => ({ statusCode: 200, body: event.requestContext.authorizer.iam.userArn });\n",
    );
    fn = await startFunctionUrlEmulator({
      identities: Object.values(ids),
      handler: await loadHandler(join(dir, "bundle.mjs")),
    });
  });
  afterAll(async () => {
    await fn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one profile per identity with mode 0600", async () => {
    const { credentialsFile, configFile } = await writeAwsConfigFiles(
      join(dir, "aws"),
      Object.values(ids),
      "us-west-2",
    );
    const credentials = await readFile(credentialsFile, "utf8");
    expect(credentials).toContain(`[developer]\naws_access_key_id = ${ids.developer.accessKeyId}`);
    expect(credentials).toContain(`aws_session_token = ${ids.agent.sessionToken}`);
    expect(await readFile(configFile, "utf8")).toContain("[profile outsider]\nregion = us-west-2");
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
  });

  it("lets a client on the standard credential chain (AWS_PROFILE) call a loaded handler", async () => {
    // Prepare
    const { credentialsFile, configFile } = await writeAwsConfigFiles(
      join(dir, "aws"),
      Object.values(ids),
      "us-west-2",
    );
    const script = `
import sys, urllib.request, botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
s = botocore.session.Session()
req = AWSRequest(method="GET", url=sys.argv[1])
SigV4Auth(s.get_credentials(), "lambda", s.get_config_variable("region")).add_auth(req)
p = req.prepare()
print(urllib.request.urlopen(urllib.request.Request(p.url, headers=dict(p.headers))).read().decode())
`;
    // Act: botocore resolves credentials and region only from the files + AWS_PROFILE.
    const { stdout } = await run("python3", ["-c", script, `${fn.url}/whoami`], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_CONFIG_FILE: configFile,
        AWS_PROFILE: "agent",
      },
    });
    // Assess
    expect(stdout.trim()).toBe("arn:aws:sts::210987654321:assumed-role/mcp-agent/agent-session");
  });

  it("reports a missing export by name", async () => {
    await expect(loadHandler(join(dir, "bundle.mjs"), "nope")).rejects.toThrow(
      'has no function export "nope"',
    );
  });

  it("rejects unsafe profile names and bad regions", async () => {
    await expect(writeAwsConfigFiles(dir, [{ ...ids.agent, name: "a]\n[b" }], "us-west-2")).rejects.toThrow(
      '"identities[0].name" is not a valid profile name',
    );
    await expect(writeAwsConfigFiles(dir, [ids.agent], "nowhere")).rejects.toThrow(TypeError);
  });
});
