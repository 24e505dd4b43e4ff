/**
 * Runs last (see vitest.config.ts): every line any broker test wrote to stdout, stderr or the console —
 * Powertools logs and EMF metrics from the handler and the bundle, recording loggers, the testkit
 * servers — must contain neither an issued token nor a client secret.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SECRETS } from "./support/fixtures.js";
import { logDir } from "./support/logs.js";

/** Sensitive values found in `output`, plus anything JWT-shaped (shortened so the report leaks nothing). */
function findLeaks(output: string, sensitive: readonly string[]): string[] {
  const leaked = [...new Set(sensitive)].filter((value) => output.includes(value));
  const jwtShaped = output.match(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g) ?? [];
  return [...leaked, ...jwtShaped].map((v) => `${v.slice(0, 6)}…`);
}

describe("Log audit over the whole suite", () => {
  it("detects a planted secret or token (the check itself works)", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHh4In0.c2lnbmF0dXJlc2lnbmF0dXJl";
    expect(findLeaks(`{"message":"x","v":"${SECRETS.default}"}`, [SECRETS.default])).toHaveLength(1);
    expect(findLeaks(`token ${jwt}`, [])).toHaveLength(1);
    expect(findLeaks('{"message":"audit","tokenFingerprint":"0123456789ab"}', [SECRETS.default])).toEqual([]);
  });

  it("finds no issued token and no client secret in any captured log output", () => {
    // Prepare
    const dir = logDir();
    const files = readdirSync(dir);
    const output = files
      .filter((f) => f.startsWith("output-"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    const sensitive = files
      .filter((f) => f.startsWith("sensitive-"))
      .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n"))
      .filter(Boolean)
      .map((line) => Buffer.from(line, "base64").toString("utf8"));
    // Act
    const leaks = findLeaks(output, sensitive);
    // Assess: the suite really logged and really issued tokens, and nothing leaked.
    expect(output).toContain('"message":"audit"');
    expect(sensitive.filter((s) => s.split(".").length === 3).length).toBeGreaterThan(0);
    for (const secret of Object.values(SECRETS)) expect(sensitive).toContain(secret);
    expect(leaks).toEqual([]);
  });
});
