import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackInfo } from "../src/stack.js";
import { parseStartFlags } from "../src/start.js";
import { cmdline, collect, descendants, isAlive, isListening, spawnEntry, waitForExit } from "./support.js";

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "mcp-token-start-test-"));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("comes up, writes a working stack.json, and Ctrl-C leaves no process or open port behind", async () => {
    // Prepare
    const child = spawnEntry("start", [
      "--mcp-port",
      "0",
      "--broker-port",
      "0",
      "--issuer-port",
      "0",
      "--sts-port",
      "0",
      "--mcp-sts-port",
      "0",
      "--mcp-cognito-port",
      "0",
      "--quiet",
      "--state-dir",
      stateDir,
    ]);
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    const stackFile = join(stateDir, "stack.json");
    const started = Date.now();
    while (!existsSync(stackFile) || !out.text().includes("local stack is up")) {
      if (child.exitCode !== null) throw new Error(`start exited early: ${err.text()}`);
      if (Date.now() - started > 45_000) throw new Error(`no stack.json after 45 s: ${err.text()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const info = JSON.parse(readFileSync(stackFile, "utf8")) as StackInfo;
    const ports = [
      info.issuer.url,
      info.broker.url,
      info.mcp.url,
      info.secrets.endpoint,
      info.sts.url,
      info.mcpSts.url,
    ].map((u) => Number(new URL(u).port));
    const children = descendants(child.pid as number);

    // Assess: everything the file names is up, and the progress shows each component with a ✓
    for (const port of ports) expect(await isListening(port)).toBe(true);
    expect(children.length).toBeGreaterThanOrEqual(2); // moto_server and the MCP server at least
    expect((await fetch(info.issuer.discoveryUrl)).status).toBe(200);
    expect((await fetch(info.mcp.url.replace(/\/mcp$/, "/ping"))).status).toBe(200);
    expect((await fetch(`${info.broker.url}/v1/whoami`)).status).toBe(403); // unsigned: the emulator refuses
    for (const c of ["secrets", "issuer", "broker", "mcp-server", "sts", "cognito", "stack.json"])
      expect(err.text()).toContain(`✓ ${c}`);
    expect(info.env.MCP_TOKEN_BROKER_URL).toBe(info.broker.url);
    expect(readFileSync(info.aws.credentialsFile, "utf8")).toContain("[developer]");

    // Act: Ctrl-C
    child.kill("SIGINT");
    const code = await waitForExit(child, 15_000);

    // Assess
    expect(code).toBe(0);
    const survivors = children.filter(isAlive).map((pid) => `${pid}: ${cmdline(pid)}`);
    expect(survivors).toEqual([]);
    for (const port of ports) expect(await isListening(port), `port ${port} still open`).toBe(false);
    expect(existsSync(stackFile)).toBe(false);
  });

  it("names the component and the flag when a port is taken, and leaves nothing running", async () => {
    // Prepare: hold a port
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      // Act
      const child = spawnEntry("start", [
        "--mcp-port",
        String(port),
        "--broker-port",
        "0",
        "--issuer-port",
        "0",
        "--sts-port",
        "0",
        "--mcp-sts-port",
        "0",
        "--mcp-cognito-port",
        "0",
        "--quiet",
        "--state-dir",
        stateDir,
      ]);
      const err = collect(child.stderr);
      const code = await waitForExit(child, 30_000);
      // Assess
      expect(code).toBe(1);
      expect(err.text()).toContain(`MCP server: port ${port} on 127.0.0.1 is already in use`);
      expect(err.text()).toContain("--mcp-port");
      expect(descendants(child.pid as number)).toEqual([]);
    } finally {
      holder.close();
    }
  });
});

describe("parseStartFlags", () => {
  it("defaults to the documented ports and lifetime", () => {
    expect(parseStartFlags([])).toMatchObject({
      mcpPort: 8000,
      brokerPort: 9100,
      issuerPort: 9101,
      tokenLifetimeSeconds: 3600,
      quiet: false,
    });
  });
  it("rejects a bad port with the flag's name", () => {
    expect(() => parseStartFlags(["--mcp-port", "70000"])).toThrow(
      /--mcp-port must be an integer from 0 to 65535/,
    );
    expect(() => parseStartFlags(["--token-lifetime", "0"])).toThrow(/--token-lifetime/);
    expect(() => parseStartFlags(["--nope"])).toThrow();
  });
});
