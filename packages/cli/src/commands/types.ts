import type { Io } from "../io.js";
import type { Logger } from "../output/logger.js";

/** One command-line option, as data (rendered by `--help`, fed to `util.parseArgs`). */
export interface OptionSpec {
  name: string;
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder in help, e.g. `<url>`. */
  value?: string;
  description: string;
  /** Environment fallback, shown in help. */
  env?: string;
  /** Default shown in help. */
  default?: string;
}

/** A positional argument, as data. */
export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
}

/** Parsed command line handed to a command's `normalize`. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Help and parsing data of one command (`commands/<name>/command.ts`). */
export interface CommandSpec<O> {
  name: string;
  summary: string;
  description: string;
  positionals: PositionalSpec[];
  /** Command options; the shared broker and output options are added by `usesBroker`. */
  options: OptionSpec[];
  /** Whether the shared broker options apply (`--broker`, `--profile`, …). */
  usesBroker: boolean;
  examples: { command: string; description: string }[];
  /** Checks and normalises the parsed command line (throws `UsageError`); runs before the command loads. */
  normalize(args: ParsedArgs, env: Io["env"]): O;
}

/** What a command module (`commands/<name>/index.ts`) exports. */
export interface CommandModule<O> {
  run(options: O, io: Io, log: Logger): Promise<number>;
}
