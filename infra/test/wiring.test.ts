/**
 * Contracts between the infrastructure and the apps it deploys, checked on the apps' source files
 * (not imported, so this package does not depend on them): the handler SST bundles exists, the
 * Dockerfile AgentCore's image is built from exists, and the environment variable names agree.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MCP_SERVER_DOCKERFILE, mcpServerEnvironment } from "../lib/agentcore.js";
import {
  BROKER_BUNDLE_DIR,
  BROKER_BUNDLE_HANDLER,
  buildBrokerBundle,
  repositoryRoot,
} from "../lib/brokerBundle.js";
import { BROKER_ENV } from "../lib/brokerConfig.js";
import { brokerFunctionSettings } from "../lib/brokerFunction.js";
import { parseStageConfig } from "../lib/stageConfig.js";
import { stageInput } from "./fixtures.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("wiring to apps/broker", () => {
  it("deploys the built bundle: sst.config.ts builds it first, and the handler resolves inside it", async () => {
    // Prepare: the function's code is the bundle directory, its handler the entry at the root.
    const settings = brokerFunctionSettings(parseStageConfig("prod", stageInput()));
    expect(settings).toMatchObject({ bundle: BROKER_BUNDLE_DIR, handler: BROKER_BUNDLE_HANDLER });
    // Act: build exactly as sst.config.ts does, from anywhere inside the repository.
    const dir = buildBrokerBundle(repositoryRoot(path.join(ROOT, "infra", "lib")));
    // Assess: "handler.handler" → <bundle>/handler.mjs exporting a function `handler`, the same file
    // apps/broker's bundle tests, the emulator tests and the benchmarks load.
    const dot = BROKER_BUNDLE_HANDLER.lastIndexOf(".");
    const file = path.join(dir, `${BROKER_BUNDLE_HANDLER.slice(0, dot)}.mjs`);
    const mod = (await import(file)) as Record<string, unknown>;
    expect(typeof mod[BROKER_BUNDLE_HANDLER.slice(dot + 1)]).toBe("function");
    expect(dir).toBe(path.join(ROOT, "apps/broker/dist"));
    const config = read("sst.config.ts");
    expect(config.indexOf("buildBrokerBundle(root)")).toBeGreaterThan(0);
    expect(config.indexOf("buildBrokerBundle(root)")).toBeLessThan(config.indexOf("deployStage("));
    expect(config).not.toContain("$cli");
  });

  it("passes the configuration in the variable the broker reads", () => {
    expect(read("apps/broker/src/env.ts")).toContain(`"${BROKER_ENV.config}"`);
  });
});

describe("wiring to apps/mcp-server", () => {
  it("builds the image from an existing Dockerfile that serves on port 8000", () => {
    expect(read(MCP_SERVER_DOCKERFILE)).toMatch(/PORT=8000|EXPOSE 8000/);
  });

  it("sets only environment variables the server reads", () => {
    // Prepare
    const config = read("apps/mcp-server/src/config.ts");
    const jwt = parseStageConfig("prod", stageInput({ mcpServer: { containerAuth: "jwt" } }));

    // Act + Assess
    for (const name of Object.keys(mcpServerEnvironment(jwt))) expect(config).toContain(`"${name}"`);
  });
});
