import type { Io } from "../../io.js";
import { McpConnectionError, McpHttpError } from "../../mcp/errors.js";
import {
  errorResponse,
  isJsonRpcMessage,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  RPC,
} from "../../mcp/jsonRpc.js";
import { RemoteMcp } from "../../mcp/remoteMcp.js";
import { mcpTargetUrl } from "../../options/mcpTarget.js";
import { describeError } from "../../output/describeError.js";
import type { Logger } from "../../output/logger.js";
import { createCliTokenSource } from "../../tokenSource.js";
import { CLI_USER_AGENT } from "../../version.js";
import type { ProxyOptions } from "./command.js";
import { InFlight } from "./inFlight.js";
import { readLines } from "./lineReader.js";

/** Largest stdin line (one JSON-RPC message) accepted, in bytes. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/**
 * How long the messages in flight when stdin closes may still be answered, in milliseconds: a host
 * that pipes its requests and closes stdin (`printf … | mcp-token proxy URL`) still gets its answers.
 */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `mcp-token proxy`: stdio (one JSON-RPC message per line) ⇄ Streamable HTTP. Every message is
 * forwarded as it arrives (requests run concurrently); every server message goes to stdout as one
 * line. A failed request is answered with a JSON-RPC error so the host never waits forever; a bad
 * input line is answered with a parse error, never a crash. Once stdin closes, the messages in
 * flight get up to {@link SHUTDOWN_GRACE_MS} to be answered (requests still unanswered then get a
 * JSON-RPC error), the session is ended, and 0 is returned.
 */
export async function run(options: ProxyOptions, io: Io, log: Logger): Promise<number> {
  const url = await mcpTargetUrl(options.target);
  const tokens = await createCliTokenSource(options, io, log);
  let writing = true;
  const write = (message: JsonRpcMessage) => {
    if (writing) io.stdout.write(`${JSON.stringify(message)}\n`);
  };
  const remote = new RemoteMcp({ url, tokens, userAgent: CLI_USER_AGENT, log, onMessage: write });
  log.info(`proxying stdio to ${url.origin}${url.pathname} (broker profile ${options.profile})`);
  // Warm the token in the background so the first request does not wait for the broker.
  tokens
    .getToken()
    .catch((error: unknown) => log.warn(`could not get a token yet: ${describeError(error).message}`));

  const inFlight = new InFlight();
  for await (const item of readLines(io.stdin as AsyncIterable<Buffer>, MAX_LINE_BYTES)) {
    if ("tooLong" in item) {
      write(errorResponse(null, RPC.parseError, `Parse error: message exceeds ${item.tooLong} bytes`));
      continue;
    }
    if (item.line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(item.line);
    } catch {
      write(errorResponse(null, RPC.parseError, "Parse error: the line is not valid JSON"));
      continue;
    }
    const messages = Array.isArray(value) ? value : [value];
    if (messages.length === 0 || !messages.every(isJsonRpcMessage)) {
      const id = (value as { id?: unknown } | null)?.id;
      const echo = typeof id === "string" || typeof id === "number" ? id : null;
      write(errorResponse(echo, RPC.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message"));
      continue;
    }
    const task = forward(remote, value as JsonRpcMessage | JsonRpcMessage[], write, log);
    inFlight.track(
      task,
      (messages as JsonRpcMessage[]).filter(isRequest).map((m) => m.id as JsonRpcId),
    );
  }
  log.debug(`stdin closed; ${inFlight.size} message(s) in flight`);
  const unanswered = await inFlight.settle(SHUTDOWN_GRACE_MS);
  if (inFlight.size > 0) {
    const seconds = SHUTDOWN_GRACE_MS / 1000;
    log.warn(`stdin closed; ${inFlight.size} message(s) still unanswered after ${seconds} s, giving up`);
    for (const id of unanswered) {
      write(
        errorResponse(
          id,
          RPC.internalError,
          `mcp-token proxy: no answer within ${seconds} s of stdin closing`,
        ),
      );
    }
  }
  // Whatever the aborted requests would still report must not follow the answers above.
  writing = false;
  await remote.close();
  return 0;
}

async function forward(
  remote: RemoteMcp,
  message: JsonRpcMessage | JsonRpcMessage[],
  write: (m: JsonRpcMessage) => void,
  log: Logger,
): Promise<void> {
  const messages = Array.isArray(message) ? message : [message];
  try {
    await remote.send(message);
  } catch (error) {
    const { code, text } = explain(error);
    const ids = messages.filter(isRequest).map((m) => m.id as JsonRpcId);
    const what = messages.map((m) => m.method ?? "response").join(", ");
    log.warn(`${what} failed: ${text}`);
    for (const id of ids) write(errorResponse(id, code, `mcp-token proxy: ${text}`));
  }
}

function explain(error: unknown): { code: number; text: string } {
  if (error instanceof McpHttpError) {
    const auth = error.status === 401 || error.status === 403;
    const text = auth
      ? `the MCP server rejected the token after one refresh (${error.message}); run \`mcp-token doctor <url>\``
      : `the MCP server answered ${error.message}`;
    return { code: error.rpcError?.code ?? (auth ? RPC.unauthorized : RPC.internalError), text };
  }
  if (error instanceof McpConnectionError) return { code: RPC.internalError, text: error.message };
  const report = describeError(error);
  const prefix = report.internal ? "" : "could not get a token: ";
  return { code: RPC.internalError, text: `${prefix}${report.message.split("\n")[0]}` };
}
