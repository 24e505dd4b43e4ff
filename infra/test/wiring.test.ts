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
import { BROKER_ENV } from "../lib/brokerConfig.js";
import { BROKER_HANDLER } from "../lib/brokerFunction.js";
import { parseStageConfig } from "../lib/stageConfig.js";
import { stageInput } from "./fixtures.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("wiring to apps/broker", () => {
  it("points SST at a module that exports the handler", () => {
    // Prepare: "apps/broker/src/handler.handler" → file apps/broker/src/handler.ts, export "handler"
    const dot = BROKER_HANDLER.lastIndexOf(".");
    const file = `${BROKER_HANDLER.slice(0, dot)}.ts`;
    const exported = BROKER_HANDLER.slice(dot + 1);

    // Act + Assess
    expect(read(file)).toMatch(new RegExp(`export (async )?(function|const) ${exported}\\b`));
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
