// Every command, declared in one place: help and parsing data load eagerly (small), the
// implementation lazily, so `mcp-token headers` never loads the proxy or doctor code.
import { doctorCommand } from "./doctor/command.js";
import { getCommand } from "./get/command.js";
import { headersCommand } from "./headers/command.js";
import { proxyCommand } from "./proxy/command.js";
import type { CommandModule, CommandSpec } from "./types.js";

export interface CommandEntry {
  // biome-ignore lint/suspicious/noExplicitAny: each entry pairs its own spec and module types.
  spec: CommandSpec<any>;
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  load(): Promise<CommandModule<any>>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  get: { spec: getCommand, load: () => import("./get/index.js") },
  headers: { spec: headersCommand, load: () => import("./headers/index.js") },
  proxy: { spec: proxyCommand, load: () => import("./proxy/index.js") },
  doctor: { spec: doctorCommand, load: () => import("./doctor/index.js") },
};
