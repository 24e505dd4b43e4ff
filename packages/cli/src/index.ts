// Programmatic entry of @mcp-token/cli (the executable is src/bin.ts).
export { COMMANDS } from "./commands/registry.js";
export { EXIT, ExitError, UsageError } from "./errors.js";
export { type Io, processIo } from "./io.js";
export { main } from "./main.js";
