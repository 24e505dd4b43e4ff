/**
 * The Python recipe in docs/CLIENTS.md (examples/python/get_token.py: botocore's SigV4 signer and the
 * standard library), run with python3 against the local stack, and its header handed to an MCP client.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FREE_PORTS, type LocalStack, startLocalStack } from "@mcp-token/local";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/npmPack.js";

const RECIPE = join(REPO_ROOT, "examples/python/get_token.py");
let dir: string;
let stack: LocalStack;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-token-python-test-"));
  stack = await startLocalStack({
    ...FREE_PORTS,
    quiet: true,
    stateDir: join(dir, "stack"),
  });
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the recipe as a user would, with the stack's broker URL and AWS files and nothing else. */
async function recipe(args: string[], extra: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)("python3", [RECIPE, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        PYTHONDONTWRITEBYTECODE: "1",
        ...stack.info.env,
        ...extra,
      },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("examples/python/get_token.py", () => {
  it("prints a token for an allowed identity", async () => {
    const { code, stdout, stderr } = await recipe([], { AWS_PROFILE: "agent" });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it("--headers gives an MCP client the Authorization header the server accepts", async () => {
    // Prepare
    const { code, stdout, stderr } = await recipe(["--headers", "--aws-profile", "developer"], {});
    expect(code, stderr).toBe(0);
    const headers = JSON.parse(stdout) as Record<string, string>;
    expect(Object.keys(headers)).toEqual(["Authorization"]);
    expect(headers.Authorization).toMatch(/^Bearer eyJ/);
    // Act: the same header use as the recipe's MCP client example
    const client = new Client({ name: "python-recipe-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.info.mcp.url), { requestInit: { headers } }),
    );
    const { tools } = await client.listTools();
    await client.close();
    // Assess
    expect(tools.map((t) => t.name).sort()).toEqual(["add", "whoami"]);
  });

  it("the MCP server refuses a request without the header (so the test above proves the header works)", async () => {
    const res = await fetch(stack.info.mcp.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(401);
  });

  it("exits 4 with the broker's reason for a denied identity, with no traceback", async () => {
    const { code, stdout, stderr } = await recipe([], { AWS_PROFILE: "outsider" });
    expect(code).toBe(4);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^get_token\.py: .*\[access_denied, request id [\w-]+\]\n$/);
  });

  it("exits 1 naming the next step when the AWS profile has no credentials", async () => {
    const { code, stdout, stderr } = await recipe(["--aws-profile", "ghost"], {});
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^get_token\.py: .*ghost/);
    expect(stderr).not.toContain("Traceback");
  });

  it("refuses a plain-http broker URL that is not loopback before signing anything", async () => {
    const { code, stderr } = await recipe(["--broker", "http://broker.example.com/"], {
      AWS_PROFILE: "agent",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("broker_url must be https:");
  });
});
