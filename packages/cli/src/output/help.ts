import type { CommandEntry } from "../commands/registry.js";
import type { CommandSpec, OptionSpec } from "../commands/types.js";
import { EXIT } from "../errors.js";
import { BROKER_OPTIONS, OUTPUT_OPTIONS } from "../options/common.js";
import { CLI_VERSION } from "../version.js";

/** Every option a command accepts, in help order. */
export function optionsOf(spec: CommandSpec<unknown>): OptionSpec[] {
  return [...spec.options, ...(spec.usesBroker ? BROKER_OPTIONS : []), ...OUTPUT_OPTIONS];
}

/** `mcp-token --help`. */
export function renderMainHelp(commands: Record<string, CommandEntry>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = [
    `mcp-token ${CLI_VERSION}: short-lived MCP access tokens from your AWS identity`,
    "",
    "Usage: mcp-token <command> [options]",
    "",
    "Commands:",
    ...Object.values(commands).map(({ spec }) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    "",
    "Options:",
    "  -h, --help     Show help (also: mcp-token <command> --help)",
    "  -V, --version  Show the version",
    "",
    "Configuration: flags, then MCP_TOKEN_BROKER_URL, MCP_TOKEN_PROFILE, AWS_PROFILE, AWS_REGION.",
    "",
    exitCodes(),
    "",
    "Examples:",
    "  mcp-token get --broker https://abc123.lambda-url.us-west-2.on.aws/ --aws-profile dev",
    "  mcp-token proxy https://mcp.example.com/mcp",
    "  mcp-token doctor https://mcp.example.com/mcp",
    "",
  ];
  return lines.join("\n");
}

/** `mcp-token <command> --help`. */
export function renderCommandHelp(spec: CommandSpec<unknown>): string {
  const positionals = spec.positionals.map((p) => (p.required ? ` <${p.name}>` : ` [${p.name}]`)).join("");
  const options = optionsOf(spec);
  const labels = options.map(
    (o) => `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`,
  );
  const width = Math.max(...labels.map((l) => l.length), ...spec.positionals.map((p) => p.name.length + 2));
  const lines = [
    `Usage: mcp-token ${spec.name}${positionals} [options]`,
    "",
    `${spec.summary}.`,
    "",
    wrap(spec.description),
    "",
  ];
  if (spec.positionals.length > 0) {
    lines.push("Arguments:");
    for (const p of spec.positionals) lines.push(`  ${`<${p.name}>`.padEnd(width)}  ${p.description}`);
    lines.push("");
  }
  lines.push("Options:");
  options.forEach((o, i) => {
    const extra = [o.env ? `env ${o.env}` : "", o.default ? `default ${o.default}` : ""]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${(labels[i] as string).padEnd(width)}  ${o.description}${extra ? ` (${extra})` : ""}`);
  });
  lines.push("", "Examples:");
  for (const e of spec.examples) lines.push(`  # ${e.description}`, `  ${e.command}`, "");
  lines.push(exitCodes(), "");
  return lines.join("\n");
}

function exitCodes(): string {
  return [
    "Exit codes:",
    `  ${EXIT.ok}  success`,
    `  ${EXIT.failure}  failure (broker unreachable, upstream error, a failed doctor check, internal error)`,
    `  ${EXIT.usage}  usage error`,
    `  ${EXIT.credentials}  no usable AWS credentials (run aws sso login / aws configure)`,
    `  ${EXIT.denied}  the broker refused access (access_denied, unauthorized, unknown_profile), or STS did (--source sts)`,
  ].join("\n");
}

function wrap(text: string, width = 100): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out.join("\n");
}
