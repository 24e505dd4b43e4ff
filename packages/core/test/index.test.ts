import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";

describe("Package: @mcp-token/core", () => {
  it("exports every value named in CORE_API.md", () => {
    const names = [
      "systemClock",
      "ManualClock",
      "TOKEN_REQUEST_LIMITS",
      "profileNameSchema",
      "scopeSchema",
      "tokenRequestBodySchema",
      "parseTokenRequestQuery",
      "parseTokenRequestBody",
      "tokenResponseSchema",
      "profilesResponseSchema",
      "whoamiResponseSchema",
      "errorBodySchema",
      "BROKER_ERROR_STATUS",
      "BrokerError",
      "isBrokerError",
      "ConfigError",
      "brokerConfigSchema",
      "parseBrokerConfig",
      "formatIssuePath",
      "parseArn",
      "normalizePrincipal",
      "validateAllowPattern",
      "matchesAllowPattern",
      "isPrincipalAllowed",
      "TokenCache",
      "cacheKey",
      "parseRetryAfter",
      "retry",
      "summarizeClaims",
      "inspectToken",
      "TokenInspectionError",
      "tokenFingerprint",
      "redactSecrets",
    ];
    const missing = names.filter((n) => !(n in core) || (core as Record<string, unknown>)[n] === undefined);
    expect(missing).toEqual([]);
    expect(core.TOKEN_REQUEST_LIMITS).toEqual({
      maxProfileLength: 64,
      maxScopes: 32,
      maxScopeLength: 128,
      maxMinTtlSeconds: 43200,
    });
  });

  it("stays runtime-agnostic: no node: imports, Buffer or process in src", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts")) files.push(path);
      }
    };
    walk(join(import.meta.dirname, "..", "src"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/from "node:|require\(|\bBuffer\b|\bprocess\./);
      expect(text, file).not.toMatch(/from "@aws-sdk|export \*/);
    }
  });
});
