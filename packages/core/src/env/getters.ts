/**
 * Typed reads of environment variables, shared by the broker, the MCP server and the CLI (each keeps
 * its variable names as constants in one module of its own). Values are trimmed; unset and blank are
 * the same; a set but invalid value throws {@link EnvError} naming the variable, never falls back to the
 * default. The environment is passed in (the process environment or a snapshot of it), so core stays free of Node APIs.
 */

/** Environment variables by name. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable that is set but invalid; the message names it and says what was expected. */
export class EnvError extends Error {
  readonly code = "ERR_INVALID_ENV" as const;
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "EnvError";
  }
}

/** A trimmed string; `defaultValue` (default `undefined`) when unset or blank. */
export function getStringFromEnv(env: Env, key: string, defaultValue?: string): string | undefined {
  const value = env[key]?.trim();
  return value ? value : defaultValue;
}

/** An integer in `[min, max]`; `defaultValue` when unset. */
export function getIntegerFromEnv(
  env: Env,
  key: string,
  opts: { defaultValue: number; min: number; max: number },
): number {
  const raw = getStringFromEnv(env, key);
  if (raw === undefined) return opts.defaultValue;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= opts.min && value <= opts.max)) {
    throw new EnvError(
      key,
      `expected an integer from ${opts.min} to ${opts.max}, got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return value;
}

/** One of `allowed`; `defaultValue` when unset. */
export function getEnumFromEnv<T extends string>(
  env: Env,
  key: string,
  allowed: readonly T[],
  defaultValue: T,
): T {
  const raw = getStringFromEnv(env, key);
  if (raw === undefined) return defaultValue;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new EnvError(key, `expected one of ${allowed.join(", ")}, got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return raw as T;
}

/** A list separated by commas (and, with `spaces`, whitespace), blanks and duplicates removed. */
export function getListFromEnv(env: Env, key: string, opts: { spaces?: boolean } = {}): string[] {
  const raw = getStringFromEnv(env, key);
  if (raw === undefined) return [];
  const parts = raw.split(opts.spaces ? /[\s,]+/ : ",").map((s) => s.trim());
  return [...new Set(parts.filter((s) => s !== ""))];
}
