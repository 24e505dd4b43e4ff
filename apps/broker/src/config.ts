/**
 * Loads and validates the broker configuration once, at cold start.
 *
 * `MCP_TOKEN_BROKER_CONFIG` holds either the JSON document itself (it starts with `{`) or a path to a
 * file holding it. The document is validated with the core `parseBrokerConfig` (strict: unknown keys
 * are rejected, errors carry full paths such as `profiles.default.allow[2]`). Runtime settings come from
 * the other `MCP_TOKEN_*` variables (see `env.ts`).
 *
 * Nothing here throws past {@link loadStartup}: a bad configuration becomes a {@link StartupFailure} so
 * the handler can answer every request with `internal_error` and log the reason, instead of crash-looping.
 */
import { readFileSync } from "node:fs";
import { type BrokerConfig, ConfigError, getStringFromEnv, parseBrokerConfig } from "@mcp-token/core";
import {
  type BrokerSettings,
  ENV,
  type SharedCacheSettings,
  settingsFromEnv,
  sharedCacheSettingsFromEnv,
} from "./env.js";

/** Largest configuration document accepted, in bytes. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** A configuration source that is missing, unreadable or not JSON; the message names the variable or file. */
export class ConfigLoadError extends Error {
  readonly code = "ERR_CONFIG_LOAD";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigLoadError";
  }
}

/**
 * Reads the raw configuration document named by `MCP_TOKEN_BROKER_CONFIG` and parses it as JSON.
 * @throws {ConfigLoadError} when the variable is unset, the file cannot be read, it is too large or not JSON.
 */
export function readConfigDocument(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): unknown {
  const value = getStringFromEnv(env, ENV.config);
  if (value === undefined) {
    throw new ConfigLoadError(
      `${ENV.config} is not set; set it to the broker configuration JSON or to the path of a file holding it`,
    );
  }
  const fromFile = !value.startsWith("{");
  let text: string;
  if (fromFile) {
    try {
      text = readFile(value);
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code ?? "unreadable";
      throw new ConfigLoadError(`${ENV.config}: cannot read the file ${JSON.stringify(value)} (${reason})`, {
        cause,
      });
    }
  } else {
    text = value;
  }
  const where = fromFile ? `${ENV.config} (file ${JSON.stringify(value)})` : ENV.config;
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ConfigLoadError(`${where}: the document is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConfigLoadError(`${where}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/** A broker that can serve. */
export interface StartupSuccess {
  ok: true;
  config: BrokerConfig;
  settings: BrokerSettings;
  /** The shared token cache, when `MCP_TOKEN_CACHE_TABLE` is set; otherwise memory only. */
  sharedCache?: SharedCacheSettings;
}

/** A broker that cannot serve: every request answers `internal_error`; `message` is for operators. */
export interface StartupFailure {
  ok: false;
  /** Operator-facing reason naming the variable or configuration field. Never contains secrets. */
  message: string;
  error: Error;
}

/** Outcome of cold-start configuration. */
export type Startup = StartupSuccess | StartupFailure;

/**
 * Loads configuration and settings from the environment; never throws.
 *
 * @example
 * const startup = loadStartup(process.env);
 * if (!startup.ok) console.error(startup.message);
 */
export function loadStartup(
  env: Readonly<Record<string, string | undefined>>,
  readFile?: (path: string) => string,
): Startup {
  try {
    const settings = settingsFromEnv(env);
    const sharedCache = sharedCacheSettingsFromEnv(env, { upstreamDeadlineMs: settings.upstreamDeadlineMs });
    const config = parseBrokerConfig(readConfigDocument(env, readFile));
    return { ok: true, config, settings, ...(sharedCache && { sharedCache }) };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const prefix = err instanceof ConfigError ? `${ENV.config}: invalid broker configuration: ` : "";
    return { ok: false, message: `${prefix}${err.message}`, error: err };
  }
}
