import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStartup } from "../src/config.js";
import { ENV } from "../src/env.js";

const profile = {
  issuer: "https://tenant.example.auth0.com/",
  audience: "https://mcp.example.com/",
  secretId: "mcp-token/auth0",
  scopes: ["invoke"],
  allow: ["arn:aws:iam::123456789012:role/mcp-agent"],
};
const valid = JSON.stringify({ profiles: { default: profile } });

describe("Function: loadStartup", () => {
  it("reads the configuration from the JSON in MCP_TOKEN_BROKER_CONFIG and applies defaults", () => {
    const startup = loadStartup({ [ENV.config]: valid });
    expect(startup.ok).toBe(true);
    if (!startup.ok) return;
    expect(startup.config.profiles.default).toMatchObject({ requestStyle: "auth0", minTtlSeconds: 300 });
    expect(startup.settings).toEqual({
      upstreamDeadlineMs: 8000,
      upstreamTimeoutMs: 5000,
      upstreamConnectTimeoutMs: 3000,
      upstreamMaxAttempts: 3,
      secretMaxAgeSeconds: 300,
    });
  });

  it("reads the configuration from a file path", () => {
    const file = join(mkdtempSync(join(tmpdir(), "broker-config-")), "config.json");
    writeFileSync(file, valid);
    expect(loadStartup({ [ENV.config]: file }).ok).toBe(true);
  });

  it.each([
    [{}, /MCP_TOKEN_BROKER_CONFIG is not set/],
    [
      { [ENV.config]: "/nonexistent/broker.json" },
      /cannot read the file "\/nonexistent\/broker.json" \(ENOENT\)/,
    ],
    [{ [ENV.config]: "{not json" }, /MCP_TOKEN_BROKER_CONFIG: not valid JSON/],
    [
      {
        [ENV.config]: JSON.stringify({
          profiles: { default: { ...profile, allow: ["arn:aws:iam::role/x"] } },
        }),
      },
      /invalid broker configuration: .*profiles\.default\.allow\[0\]/,
    ],
    [
      { [ENV.config]: JSON.stringify({ profiles: { default: { ...profile, colour: "blue" } } }) },
      /profiles\.default.*colour/,
    ],
    [
      { [ENV.config]: valid, [ENV.upstreamDeadlineMs]: "soon" },
      /MCP_TOKEN_UPSTREAM_DEADLINE_MS: expected an integer/,
    ],
    [
      { [ENV.config]: valid, [ENV.upstreamMaxAttempts]: "9" },
      /MCP_TOKEN_UPSTREAM_MAX_ATTEMPTS: expected an integer from 1 to 5/,
    ],
  ])("fails without throwing and names the problem (%#)", (env, message) => {
    const startup = loadStartup(env);
    expect(startup.ok).toBe(false);
    if (startup.ok) return;
    expect(startup.message).toMatch(message);
  });
});
