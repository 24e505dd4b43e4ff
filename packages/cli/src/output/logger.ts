import type { WritableLike } from "../io.js";

/** Log levels, most to least severe. `silent` logs nothing. */
export const LOG_LEVELS = ["silent", "error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Human-readable logging to stderr; never given tokens (callers pass redacted text). */
export interface Logger {
  readonly level: LogLevel;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

const COLOURS: Record<Exclude<LogLevel, "silent">, string> = {
  error: "\x1b[31m",
  warn: "\x1b[33m",
  info: "\x1b[36m",
  debug: "\x1b[90m",
};

/**
 * A logger writing `mcp-token <level>: message` lines to `stream`, coloured only when the stream
 * is a TTY and `NO_COLOR` is not set.
 */
export function createLogger(opts: {
  level: LogLevel;
  stream: WritableLike & { isTTY?: boolean };
  env?: Readonly<Record<string, string | undefined>>;
}): Logger {
  const rank = LOG_LEVELS.indexOf(opts.level);
  const colour = opts.stream.isTTY === true && !opts.env?.NO_COLOR;
  const emit = (level: Exclude<LogLevel, "silent">, message: string) => {
    if (LOG_LEVELS.indexOf(level) > rank) return;
    const label = colour ? `${COLOURS[level]}${level}\x1b[0m` : level;
    opts.stream.write(`mcp-token ${label}: ${message}\n`);
  };
  return {
    level: opts.level,
    error: (m) => emit("error", m),
    warn: (m) => emit("warn", m),
    info: (m) => emit("info", m),
    debug: (m) => emit("debug", m),
  };
}
