/**
 * The server's configuration, read from the environment in this one module.
 *
 * Precedence (one rule, everywhere): an explicit option passed to `startServer` /
 * `createMcpServerApp` wins over the environment, which wins over the default. Every variable is
 * named by a constant in {@link ENV}; every read goes through a typed getter that trims the value,
 * treats an empty string as unset, and throws a {@link EnvError} naming the variable and the fix.
 */

import {
  type Env,
  EnvError,
  getEnumFromEnv,
  getIntegerFromEnv,
  getListFromEnv,
  getStringFromEnv,
  isLoopbackHost,
} from "@mcp-token/core";
import { type CustomClaimRule, parseCustomClaims } from "./auth/customClaims.js";

/** Names of every environment variable the server reads. */
export const ENV = {
  /** `jwt` (default), `agentcore` or `none`. */
  auth: "MCP_AUTH",
  /** TCP port; default 8000 (AgentCore's contract). `0` picks a free port. */
  port: "PORT",
  /** Bind address; default `0.0.0.0` (AgentCore's contract). */
  host: "HOST",
  /** OIDC discovery URL of the token issuer (must end in `/.well-known/openid-configuration`). */
  discoveryUrl: "AUTH_DISCOVERY_URL",
  /** Comma-separated allowed `aud` values. */
  allowedAudiences: "AUTH_ALLOWED_AUDIENCES",
  /** Comma-separated allowed `client_id` claim values. */
  allowedClients: "AUTH_ALLOWED_CLIENTS",
  /** Comma- or space-separated scopes; a token needs at least one of them (AgentCore's rule). */
  allowedScopes: "AUTH_ALLOWED_SCOPES",
  /** JSON array of AgentCore `customClaims` entries; every one must hold. */
  customClaims: "AUTH_CUSTOM_CLAIMS",
  /** Seconds of clock skew accepted for `exp` / `nbf`; default 30. */
  clockToleranceSeconds: "AUTH_CLOCK_TOLERANCE_SECONDS",
  /** `off` (default), `loopback` or `any`: answer a token-less MCP `ping` in jwt mode (health probes). */
  allowUnauthenticatedPing: "MCP_ALLOW_UNAUTHENTICATED_PING",
  /** Comma-separated Host/Origin hostnames allowed besides loopback; `*` turns the guard off. */
  allowedHosts: "MCP_ALLOWED_HOSTS",
  /** Public base URL (scheme://host[:port][/path]) used in the challenge and metadata; default from `Host`. */
  publicUrl: "MCP_PUBLIC_URL",
  /** Largest accepted request body in bytes; default 1 MiB. */
  maxBodyBytes: "MAX_BODY_BYTES",
  /** Milliseconds in-flight requests get to finish after SIGTERM; default 10000. */
  shutdownTimeoutMs: "SHUTDOWN_TIMEOUT_MS",
  /** `debug`, `info` (default), `warn`, `error` or `silent`. */
  logLevel: "LOG_LEVEL",
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export const AUTH_MODES = ["jwt", "agentcore", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const PING_ALLOWANCES = ["off", "loopback", "any"] as const;
export type PingAllowance = (typeof PING_ALLOWANCES)[number];

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Defaults, in the units their names say. */
export const DEFAULTS = {
  auth: "jwt" as AuthMode,
  port: 8000,
  host: "0.0.0.0",
  clockToleranceSeconds: 30,
  maxBodyBytes: 1024 * 1024,
  shutdownTimeoutMs: 10_000,
  logLevel: "info" as LogLevel,
  allowUnauthenticatedPing: "off" as PingAllowance,
} as const;

/** Host names a request may always name in `Host` and `Origin`: a DNS-rebinding page never can. */
export const LOOPBACK_HOSTNAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

/** Settings of the `jwt` mode (AgentCore's custom JWT authorizer, reproduced). */
export interface JwtAuthConfig {
  /** OIDC discovery document URL; fetched once and cached. */
  discoveryUrl: string;
  /** Allowed `aud` values; empty = audience not checked (then `allowedClients` must be set). */
  allowedAudiences: string[];
  /** Allowed `client_id` claim values; empty = not checked. */
  allowedClients: string[];
  /** Scopes of which a token must carry at least one; empty = not checked. */
  allowedScopes: string[];
  /** AgentCore `customClaims` rules, all of which must hold; empty = not checked. */
  customClaims: CustomClaimRule[];
  /** Accepted clock skew for `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /**
   * Whether a JSON-RPC `ping` POSTed to `/mcp` without `Authorization` is answered (for health probes
   * such as AgentCore's): `off`, only from a `loopback` peer, or from `any` peer. Nothing else ever is.
   */
  allowUnauthenticatedPing: PingAllowance;
}

/**
 * The DNS-rebinding guard (`@modelcontextprotocol/node`'s Host and Origin checks): `on` with every
 * host name allowed ({@link LOOPBACK_HOSTNAMES} first, then `MCP_ALLOWED_HOSTS`), or `off` only when
 * `MCP_ALLOWED_HOSTS=*`.
 */
export type HostGuard = { mode: "on"; hostnames: string[] } | { mode: "off" };

/** The whole server configuration. */
export interface ServerConfig {
  auth: AuthMode;
  port: number;
  host: string;
  /** Present when `auth` is `jwt`. */
  jwt?: JwtAuthConfig;
  /** Host/Origin guard; on by default whatever the bind address. */
  hostGuard: HostGuard;
  /** Public base URL without trailing slash, or undefined to derive it from each request's `Host`. */
  publicUrl?: string;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
}

function parseHttpUrl(key: EnvName, value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError(key, `expected ${what}, got "${value}"`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new EnvError(key, `must be an https: URL (http: only for loopback hosts), got "${value}"`);
  }
  return url;
}

function readJwtConfig(env: Env): JwtAuthConfig {
  const discoveryUrl = getStringFromEnv(env, ENV.discoveryUrl);
  if (discoveryUrl === undefined) {
    throw new EnvError(
      ENV.discoveryUrl,
      `is required when ${ENV.auth}=jwt; set it to your issuer's https://<tenant>/.well-known/openid-configuration, or set ${ENV.auth}=agentcore when AgentCore verifies tokens`,
    );
  }
  const url = parseHttpUrl(ENV.discoveryUrl, discoveryUrl, "an OIDC discovery URL");
  if (!url.pathname.endsWith("/.well-known/openid-configuration")) {
    throw new EnvError(
      ENV.discoveryUrl,
      `must end in /.well-known/openid-configuration (as AgentCore requires), got "${discoveryUrl}"`,
    );
  }
  const allowedAudiences = getListFromEnv(env, ENV.allowedAudiences);
  const allowedClients = getListFromEnv(env, ENV.allowedClients);
  if (allowedAudiences.length === 0 && allowedClients.length === 0) {
    throw new EnvError(
      ENV.allowedAudiences,
      `set ${ENV.allowedAudiences} (your API identifier) or ${ENV.allowedClients}; without either, any token of the issuer would be accepted`,
    );
  }
  return {
    discoveryUrl: url.href,
    allowedAudiences,
    allowedClients,
    allowedScopes: readScopes(env),
    customClaims: readCustomClaims(env),
    clockToleranceSeconds: getIntegerFromEnv(env, ENV.clockToleranceSeconds, {
      defaultValue: DEFAULTS.clockToleranceSeconds,
      min: 0,
      max: 300,
    }),
    allowUnauthenticatedPing: getEnumFromEnv(
      env,
      ENV.allowUnauthenticatedPing,
      PING_ALLOWANCES,
      DEFAULTS.allowUnauthenticatedPing,
    ),
  };
}

/** AgentCore's `allowedScopes` item constraints: 1–255 characters of `[\x21\x23-\x5B\x5D-\x7E]`. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/;

function readScopes(env: Env): string[] {
  const scopes = getListFromEnv(env, ENV.allowedScopes, { spaces: true });
  scopes.forEach((scope, i) => {
    if (!SCOPE.test(scope)) {
      throw new EnvError(
        ENV.allowedScopes,
        `entry ${i + 1} ("${scope}") must be 1 to 255 printable ASCII characters without '"' or '\\' (AgentCore's allowedScopes pattern)`,
      );
    }
  });
  return scopes;
}

function readCustomClaims(env: Env): CustomClaimRule[] {
  const value = getStringFromEnv(env, ENV.customClaims);
  if (value === undefined) return [];
  try {
    return parseCustomClaims(value);
  } catch (e) {
    const example =
      '[{"inboundTokenClaimName":"https://example.com/team","inboundTokenClaimValueType":"STRING","authorizingClaimMatchValue":{"claimMatchOperator":"EQUALS","claimMatchValue":{"matchValueString":"platform"}}}]';
    throw new EnvError(
      ENV.customClaims,
      `${(e as Error).message}. Expected AgentCore's customClaims shape, e.g. ${example}`,
    );
  }
}

/** One `MCP_ALLOWED_HOSTS` entry as the SDK's guard compares it: a bare, lower-case host name. */
function hostnameOf(entry: string): string | undefined {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$/.test(entry)) return undefined;
  try {
    const url = new URL(`http://${entry}`);
    return url.host === url.hostname && url.hostname !== "" ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

function readHostGuard(env: Env): HostGuard {
  const entries = getListFromEnv(env, ENV.allowedHosts);
  if (entries.includes("*")) {
    if (entries.length > 1) {
      throw new EnvError(
        ENV.allowedHosts,
        `"*" turns the Host/Origin guard off and cannot be combined with host names; set either * or a list such as mcp.example.com,10.0.0.5`,
      );
    }
    return { mode: "off" };
  }
  const hostnames = entries.map((entry, i) => {
    const hostname = hostnameOf(entry);
    if (hostname === undefined) {
      throw new EnvError(
        ENV.allowedHosts,
        `entry ${i + 1} ("${entry}") must be a bare host name such as mcp.example.com, 10.0.0.5 or [fd00::1], without scheme, port, path or wildcard (any port of a listed name is allowed); use * alone to turn the guard off where only a trusted proxy reaches the port (inside AgentCore Runtime)`,
      );
    }
    return hostname;
  });
  return { mode: "on", hostnames: [...new Set([...LOOPBACK_HOSTNAMES, ...hostnames])] };
}

function readPublicUrl(env: Env): string | undefined {
  const value = getStringFromEnv(env, ENV.publicUrl);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError(ENV.publicUrl, `expected an absolute http(s) URL, got "${value}"`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "") {
    throw new EnvError(ENV.publicUrl, `expected http(s)://host[:port][/path] without query, got "${value}"`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Reads and validates the whole configuration.
 *
 * @param env - the environment (default `process.env`).
 * @throws {EnvError} naming the first offending variable.
 */
export function loadConfig(env: Env = process.env): ServerConfig {
  const auth = getEnumFromEnv(env, ENV.auth, AUTH_MODES, DEFAULTS.auth);
  const config: ServerConfig = {
    auth,
    port: getIntegerFromEnv(env, ENV.port, { defaultValue: DEFAULTS.port, min: 0, max: 65535 }),
    host: getStringFromEnv(env, ENV.host, DEFAULTS.host) ?? DEFAULTS.host,
    publicUrl: readPublicUrl(env),
    maxBodyBytes: getIntegerFromEnv(env, ENV.maxBodyBytes, {
      defaultValue: DEFAULTS.maxBodyBytes,
      min: 1024,
      max: 64 * 1024 * 1024,
    }),
    shutdownTimeoutMs: getIntegerFromEnv(env, ENV.shutdownTimeoutMs, {
      defaultValue: DEFAULTS.shutdownTimeoutMs,
      min: 0,
      max: 600_000,
    }),
    logLevel: getEnumFromEnv(env, ENV.logLevel, LOG_LEVELS, DEFAULTS.logLevel),
    hostGuard: readHostGuard(env),
  };
  if (auth === "jwt") config.jwt = readJwtConfig(env);
  return config;
}
