#!/usr/bin/env node
// The `mcp-token` executable that npm links (package.json `bin`). It loads the bundle, which in a
// repository checkout exists only after `npm run build`: npm links a bin only if its file exists at
// install time, so the bin is this committed file, and it says what to do when the bundle is missing.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = new URL("../dist/mcp-token.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    `mcp-token: the CLI is not built yet (${fileURLToPath(bundle)} is missing); run \`npm run build\` at the repository root, then try again\n`,
  );
  process.exit(1);
}
await import(bundle.href);
