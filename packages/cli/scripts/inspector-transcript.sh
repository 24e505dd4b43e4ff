#!/bin/sh
# Reproduces the MCP Inspector transcript in docs/CLIENTS.md: starts the local stack (testkit issuer,
# moto, the real broker in the Function URL emulator, the real MCP server), then runs MCP Inspector v2
# in CLI mode through `mcp-token proxy`. Needs the npm registry (node@22 and the Inspector via npx).
# Usage: npm run -w @mcp-token/cli inspector-transcript
set -eu
cd "$(dirname "$0")/.."
node scripts/bundle.mjs
work=$(mktemp -d)
stack_pid=
cleanup() {
  status=$?
  # SIGTERM lets the stack close its servers and stop moto_server.
  [ -n "$stack_pid" ] && kill "$stack_pid" 2>/dev/null && wait "$stack_pid" 2>/dev/null
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
node --import tsx test/support/runStack.ts "$work/stack.json" >"$work/stack.log" 2>&1 &
stack_pid=$!
while [ ! -s "$work/stack.json" ]; do sleep 0.2; kill -0 "$stack_pid" || { cat "$work/stack.log"; exit 1; }; done
mkdir -p "$work/bin" && ln -s "$PWD/dist/mcp-token.mjs" "$work/bin/mcp-token"
eval "$(node -e '
  const s = require(process.argv[1]);
  for (const k of ["MCP_TOKEN_BROKER_URL", "AWS_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "XDG_CACHE_HOME"])
    console.log(`export ${k}=${s.env[k]}`);
  console.log(`export MCP_URL=${s.mcpUrl}`);' "$work/stack.json")"
export PATH="$work/bin:$PATH"
inspector() {
  npx -y node@22 "$(command -v npx)" -y @modelcontextprotocol/inspector@2 --cli \
    -e MCP_TOKEN_BROKER_URL="$MCP_TOKEN_BROKER_URL" -e AWS_REGION="$AWS_REGION" \
    -e AWS_SHARED_CREDENTIALS_FILE="$AWS_SHARED_CREDENTIALS_FILE" -e AWS_CONFIG_FILE="$AWS_CONFIG_FILE" \
    -e XDG_CACHE_HOME="$XDG_CACHE_HOME" \
    mcp-token proxy "$MCP_URL" --aws-profile developer "$@"
}
echo "\$ npx -y node@22 \"\$(command -v npx)\" -y @modelcontextprotocol/inspector@2 --version"
npx -y node@22 "$(command -v npx)" -y @modelcontextprotocol/inspector@2 --version
echo "\$ npx -y node@22 \"\$(command -v npx)\" -y @modelcontextprotocol/inspector@2 --cli -e … mcp-token proxy $MCP_URL --aws-profile developer --method tools/list"
inspector --method tools/list | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(JSON.stringify({ tools: r.tools.map((t) => ({ name: t.name, title: t.title, annotations: t.annotations })) }, null, 2))'
echo "\$ … --method tools/call --tool-name add --tool-arg a=2 b=40"
inspector --method tools/call --tool-name add --tool-arg a=2 b=40
