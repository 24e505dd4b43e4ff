import { parseArgs } from "node:util";
import { COMMANDS } from "./commands/registry.js";
import type { CommandSpec, ParsedArgs } from "./commands/types.js";
import { ENV, getStringFromEnv } from "./env.js";
import { EXIT, ExitError, UsageError } from "./errors.js";
import type { Io } from "./io.js";
import { describeError } from "./output/describeError.js";
import { optionsOf, renderCommandHelp, renderMainHelp } from "./output/help.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "./output/logger.js";
import { CLI_VERSION } from "./version.js";

/**
 * Runs `mcp-token <argv>` and returns the exit code. Parses with `util.parseArgs`, prints help
 * and version, normalises options before loading the command, and maps every failure to an exit
 * code with a message on stderr (stdout carries results only).
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(renderMainHelp(COMMANDS));
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const entry = topic === undefined ? undefined : COMMANDS[topic];
    io.stdout.write(entry ? renderCommandHelp(entry.spec) : renderMainHelp(COMMANDS));
    return EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${CLI_VERSION}\n`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    return usage(
      io,
      new UsageError(
        `unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(", ")}`,
      ),
    );
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: parseArgsOptions(entry.spec),
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usage(
      io,
      new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ""), name),
    );
  }
  if (values.help === true) {
    io.stdout.write(renderCommandHelp(entry.spec));
    return EXIT.ok;
  }
  const levelText =
    (values["log-level"] as string | undefined) ?? getStringFromEnv(io.env, ENV.logLevel) ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(levelText)) {
    return usage(
      io,
      new UsageError(
        `--log-level must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(levelText)}`,
        name,
      ),
    );
  }
  const log = createLogger({ level: levelText as LogLevel, stream: io.stderr, env: io.env });
  try {
    const options = entry.spec.normalize({ values: values as ParsedArgs["values"], positionals }, io.env);
    const command = await entry.load();
    return await command.run(options, io, log);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error);
    if (error instanceof ExitError) return error.exitCode;
    const report = describeError(error);
    io.stderr.write(`mcp-token ${name}: ${report.message}\n`);
    if (report.exitCode === EXIT.usage) io.stderr.write(`Run 'mcp-token ${name} --help' for usage.\n`);
    if (report.internal && error instanceof Error && error.stack) log.debug(error.stack);
    return report.exitCode;
  }
}

function usage(io: Io, error: UsageError): number {
  const where = error.command ? `mcp-token ${error.command}` : "mcp-token";
  io.stderr.write(`${where}: ${error.message}\nRun '${where} --help' for usage.\n`);
  return EXIT.usage;
}

function parseArgsOptions(spec: CommandSpec<unknown>) {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const o of optionsOf(spec)) {
    options[o.name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  return options;
}
