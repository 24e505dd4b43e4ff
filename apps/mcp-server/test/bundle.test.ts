/**
 * The shipped artefact: `dist/main.mjs`, built by `scripts/bundle.mjs` and run with plain `node`, as
 * the container runs it.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LocalIssuer } from "@mcp-token/testkit";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WhoamiResult } from "../src/index.js";
import { MCP_HEADERS, toolCall } from "./support/helpers.js";
import { CLIENTS, fetchToken, jwtEnv, RFC9068_AUDIENCE, startTestIssuer } from "./support/testkit.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "main.mjs");

interface Spawned {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  waitFor(pred: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Runs the bundle with `env` and collects its JSON log lines from stderr. */
function runBundle(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    pred: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let buffer = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { raw: text };
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor(pred) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exited.then((code) => reject(new Error(`bundle exited (${code}): ${JSON.stringify(lines)}`)));
      });
    },
  };
}

let issuer: LocalIssuer;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(root, "scripts", "bundle.mjs")], { cwd: root });
  issuer = await startTestIssuer();
});

afterAll(async () => {
  await issuer?.close();
});

describe("the bundle (node dist/main.mjs)", () => {
  let server: Spawned;
  let url: string;

  beforeAll(async () => {
    server = runBundle(jwtEnv(issuer));
    const listening = await server.waitFor((l) => l.msg === "listening");
    url = listening.url as string;
  });

  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("prints its bound URL as a JSON log line on stderr", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.lines.find((l) => l.msg === "listening")).toMatchObject({
      auth: "jwt",
      mcpUrl: `${url}/mcp`,
    });
  });

  it("serves an MCP SDK v2 client with a token from the local issuer", async () => {
    const token = await fetchToken(issuer, CLIENTS.allowed);
    const client = new Client({ name: "bundle-e2e", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        authProvider: { token: async () => token },
      }),
    );
    const { tools } = await client.listTools();
    const sum = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    const me = await client.callTool({ name: "whoami", arguments: {} });
    await client.close();

    expect(tools.map((t) => t.name).sort()).toEqual(["add", "whoami"]);
    expect(sum.structuredContent).toEqual({ sum: 3 });
    expect(me.structuredContent as WhoamiResult).toMatchObject({
      verified: true,
      issuer: issuer.url,
      clientId: CLIENTS.allowed.clientId,
      audience: [RFC9068_AUDIENCE],
      tokenProfile: "rfc9068",
    });
    // Request logs went to stderr, without the token.
    expect(server.lines.some((l) => l.msg === "request" && l.auth === "verified")).toBe(true);
    expect(JSON.stringify(server.lines)).not.toContain(token.split(".")[2]);
  });

  it("on SIGTERM lets a request that is still uploading finish, refuses new connections, then exits 0", async () => {
    // Prepare: a request whose body arrives in two parts.
    const token = await fetchToken(issuer, CLIENTS.allowed);
    const body = Buffer.from(JSON.stringify(toolCall("add", { a: 20, b: 22 })));
    const half = Math.floor(body.length / 2);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}/mcp`,
        {
          method: "POST",
          agent: false,
          headers: {
            ...MCP_HEADERS,
            authorization: `Bearer ${token}`,
            "content-length": String(body.length),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.subarray(0, half));
      // Act: once the server holds the half-uploaded request, SIGTERM; then finish the upload.
      void sleep(200)
        .then(async () => {
          server.child.kill("SIGTERM");
          const line = await server.waitFor((l) => l.msg === "shutting down");
          expect(line.inFlight).toBe(1);
          await expect(fetch(`${url}/ping`)).rejects.toThrow();
          req.end(body.subarray(half));
        })
        .catch(reject);
    });

    // Assess
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.text).toContain('"sum":42');
    expect(await server.exited).toBe(0);
    expect(server.lines.at(-1)).toMatchObject({ msg: "stopped", signal: "SIGTERM" });
  });
});

describe("bundle configuration errors", () => {
  it("stops at start with exit 1 and a JSON line naming the variable", async () => {
    const run = runBundle({ MCP_AUTH: "jwt" });
    expect(await run.exited).toBe(1);
    expect(run.lines.at(-1)).toMatchObject({ level: "error", variable: "AUTH_DISCOVERY_URL" });
    expect(String(run.lines.at(-1)?.error)).toMatch(/AUTH_DISCOVERY_URL: is required when MCP_AUTH=jwt/);
  });

  it("names PORT when it is not a port number", async () => {
    const run = runBundle({ MCP_AUTH: "none", PORT: "eighty" });
    expect(await run.exited).toBe(1);
    expect(run.lines.at(-1)).toMatchObject({ variable: "PORT" });
  });

  it("warns at start when authentication is disabled", async () => {
    const run = runBundle({ MCP_AUTH: "none" });
    await run.waitFor((l) => l.msg === "listening");
    expect(run.lines[0]).toMatchObject({ level: "warn" });
    expect(String(run.lines[0]?.msg)).toMatch(/MCP_AUTH=none/);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("warns at start that agentcore mode trusts whatever reaches the port, and keeps the Host guard on", async () => {
    const run = runBundle({ MCP_AUTH: "agentcore" });
    const listening = await run.waitFor((l) => l.msg === "listening");
    expect(run.lines[0]).toMatchObject({ level: "warn" });
    expect(String(run.lines[0]?.msg)).toMatch(
      /^MCP_AUTH=agentcore: .*any process that can reach 127\.0\.0\.1:\d+ is trusted/,
    );
    const refused = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${listening.url as string}/mcp`,
        { method: "POST", agent: false, headers: { ...MCP_HEADERS, host: "rebound.attacker.example" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(toolCall("whoami")));
    });
    expect(refused).toBe(403);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });
});

describe("bundle contents", () => {
  it("ships no test-only code (testkit, oidc-provider)", async () => {
    const text = await readFile(bundle, "utf8");
    expect(text).not.toContain("oidc-provider");
    expect(text).not.toContain("@mcp-token/testkit");
  });
});

describe("Dockerfile (not buildable here; checked statically)", () => {
  it("targets linux/arm64, runs as non-root and ships only the bundle", async () => {
    const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(dockerfile).toContain("--platform linux/arm64");
    expect(runtime).toMatch(/^\nFROM gcr\.io\/distroless\/nodejs\$\{NODE_MAJOR\}-debian12:nonroot/);
    expect(runtime).toMatch(/\nUSER nonroot\n/);
    expect(runtime.match(/^COPY .*$/gm)).toEqual([
      "COPY --from=build --chown=nonroot:nonroot /repo/apps/mcp-server/dist/main.mjs /app/main.mjs",
    ]);
    expect(runtime).toContain("PORT=8000");
  });
});
