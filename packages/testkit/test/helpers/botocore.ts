import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { LocalIdentity } from "../../src/index.js";

const run = promisify(execFile);

/**
 * Signs with botocore's SigV4Auth / SigV4QueryAuth (independent of our code) and sends with urllib.
 * `tamper_body` swaps one byte of the body after signing.
 */
const SCRIPT = `
import base64, json, sys, urllib.request, urllib.error
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
a = json.loads(sys.argv[1])
body = base64.b64decode(a["body_b64"]) if a.get("body_b64") else None
req = AWSRequest(method=a["method"], url=a["url"], data=body, headers=a.get("headers", {}))
creds = Credentials(a["akid"], a["secret"], a.get("token"))
if a.get("presign"):
    SigV4QueryAuth(creds, "lambda", a["region"], expires=300).add_auth(req)
else:
    SigV4Auth(creds, "lambda", a["region"]).add_auth(req)
p = req.prepare()
data = p.body
if a.get("tamper_body") and data:
    data = bytes([data[0] ^ 1]) + data[1:]
headers = dict(p.headers)
if a.get("drop_token"):
    headers.pop("X-Amz-Security-Token", None)
r = urllib.request.Request(p.url, data=data, headers=headers, method=a["method"])
try:
    resp = urllib.request.urlopen(r)
    print(json.dumps({"status": resp.status, "body": resp.read().decode()}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": e.code, "body": e.read().decode()}))
`;

export interface BotocoreRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  region?: string;
  presign?: boolean;
  tamperBody?: boolean;
  dropToken?: boolean;
}

/** Send a botocore-signed request; resolves to the HTTP status and body text. */
export async function botocoreFetch(
  identity: LocalIdentity,
  req: BotocoreRequest,
): Promise<{ status: number; body: string }> {
  const args = {
    url: req.url,
    method: req.method ?? "GET",
    headers: req.headers ?? {},
    body_b64: req.body === undefined ? undefined : Buffer.from(req.body).toString("base64"),
    akid: identity.accessKeyId,
    secret: identity.secretAccessKey,
    token: identity.sessionToken,
    region: req.region ?? "us-west-2",
    presign: req.presign ?? false,
    tamper_body: req.tamperBody ?? false,
    drop_token: req.dropToken ?? false,
  };
  const { stdout } = await run("python3", ["-c", SCRIPT, JSON.stringify(args)], { timeout: 10_000 });
  return JSON.parse(stdout) as { status: number; body: string };
}
