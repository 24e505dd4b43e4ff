import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { LocalIdentity } from "../../src/index.js";

const run = promisify(execFile);

/**
 * Send a request signed by `curl --aws-sigv4 "aws:amz:<region>:lambda"`. The session token goes in as
 * `x-amz-security-token` (curl signs it with the other headers). Note curl 7.x does not sort query
 * parameters when signing, so callers pass them already sorted.
 */
export async function curlSigned(
  identity: Pick<LocalIdentity, "accessKeyId" | "secretAccessKey" | "sessionToken">,
  url: string,
  opts: { region?: string; body?: string; headers?: Record<string, string>; omitToken?: boolean } = {},
): Promise<{ status: number; body: string }> {
  const args = [
    "-sS",
    "-o",
    "-",
    "-w",
    "\n%{http_code}",
    "--aws-sigv4",
    `aws:amz:${opts.region ?? "us-west-2"}:lambda`,
  ];
  args.push("--user", `${identity.accessKeyId}:${identity.secretAccessKey}`);
  if (identity.sessionToken && !opts.omitToken)
    args.push("-H", `x-amz-security-token: ${identity.sessionToken}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}: ${v}`);
  if (opts.body !== undefined) args.push("--data-binary", opts.body);
  args.push(url);
  const { stdout } = await run("curl", args, { timeout: 10_000 });
  const nl = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(nl + 1)), body: stdout.slice(0, nl) };
}
