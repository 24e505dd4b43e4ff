// Starts the e2e local stack outside vitest and keeps it up until SIGTERM/SIGINT, writing what a
// shell needs (env, URLs) as JSON to the path given as the first argument. Used by
// scripts/inspector-transcript.sh.
import { writeFileSync } from "node:fs";
import { startStack } from "./stack.js";

const out = process.argv[2];
if (!out) throw new Error("usage: runStack.ts <out.json>");
const stack = await startStack();
writeFileSync(
  out,
  JSON.stringify({ env: stack.env, mcpUrl: stack.mcpUrl, legacyMcpUrl: stack.legacyMcpUrl }, null, 2),
);
const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
setInterval(() => {}, 1 << 30);
