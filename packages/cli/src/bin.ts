// The `mcp-token` executable (bundled into dist/mcp-token.mjs).
import { processIo } from "./io.js";
import { main } from "./main.js";

// A host that goes away closes our stdout: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", () => process.exit(0));
const code = await main(process.argv.slice(2), processIo());
// Let stdout drain (pipes are asynchronous on some platforms), then exit even if a socket or
// timer is still open: the command is done and must leave no process behind.
process.stdout.write("", () => process.exit(code));
