import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIo } from "./support/io.js";

const BROKER = { MCP_TOKEN_BROKER_URL: "https://abc123.lambda-url.us-west-2.on.aws/" };

describe("Function: main", () => {
  it.each([
    [["--version"], 0, /^0\.1\.0\n$/, ""],
    [["-V"], 0, /^0\.1\.0\n$/, ""],
    [["--help"], 0, /Usage: mcp-token <command>[\s\S]*Exit codes:/, ""],
    [["help", "proxy"], 0, /Usage: mcp-token proxy <target> \[options\]/, ""],
    [["get", "--help"], 0, /Usage: mcp-token get \[options\][\s\S]*Examples:[\s\S]*MCP_TOKEN_BROKER_URL/, ""],
  ])("%j exits %i with help or version on stdout", async (argv, code, stdout, stderr) => {
    const { io, stdout: out, stderr: err } = memoryIo();
    expect(await main(argv, io)).toBe(code);
    expect(out()).toMatch(stdout);
    expect(err()).toBe(stderr);
  });

  it.each([
    [[], /Usage: mcp-token <command>/],
    [["fetch"], /^mcp-token: unknown command "fetch"; commands: get, headers, proxy, doctor\n/],
    [["get", "--nope"], /^mcp-token get: Unknown option '--nope'/],
    [
      ["get", "--broker", "http://127.0.0.1:1"],
      /--region is required: 127\.0\.0\.1 is not a Lambda Function URL host/,
    ],
    [["get", "--min-ttl", "soon"], /--min-ttl must be a whole number of seconds from 0 to 43200, got "soon"/],
    [
      ["get", "--log-level", "loud"],
      /--log-level must be one of silent, error, warn, info, debug, got "loud"/,
    ],
    [["proxy"], /missing <target>: an MCP endpoint URL or an AgentCore runtime ARN/],
    [["proxy", "http://mcp.example.com/mcp"], /<target> must be an https: URL \(http: only for loopback\)/],
    [["proxy", "https://a.example/mcp", "extra"], /unexpected argument "extra"/],
  ])(
    "%j is a usage error: exit 2, a message naming the fix on stderr, nothing on stdout",
    async (argv, message) => {
      const { io, stdout, stderr } = memoryIo(BROKER);
      expect(await main(argv, io)).toBe(2);
      expect(stdout()).toBe("");
      expect(stderr()).toMatch(message);
    },
  );

  it("without a broker URL anywhere is a usage error naming the flag and the variable", async () => {
    const { io, stderr } = memoryIo({});
    expect(await main(["headers"], io)).toBe(2);
    expect(stderr()).toBe(
      "mcp-token headers: no broker URL: pass --broker <function-url> or set MCP_TOKEN_BROKER_URL (ask your admin for the broker's Function URL)\nRun 'mcp-token headers --help' for usage.\n",
    );
  });
});
