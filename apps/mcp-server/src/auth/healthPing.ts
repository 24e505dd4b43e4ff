/**
 * MCP `ping` requests answered by the server itself, before the MCP SDK, for health probes.
 * AgentCore Runtime is reported to probe a runtime's container with a token-less `ping` POSTed to
 * `/mcp` (README, "Health checks", for the sources); a container that answers 401, or 400/406 because
 * the probe's `params: null` or `Accept` header does not satisfy the SDK's transport rules, is marked
 * unhealthy.
 *
 * - `agentcore` and `none` modes check no token, so a ping is always answered here.
 * - `jwt` mode answers a ping without `Authorization` only when `MCP_ALLOW_UNAUTHENTICATED_PING`
 *   allows it (`loopback` peers or `any` peer); a ping with a token goes the normal way.
 *
 * The answer is built here, never by the SDK, so nothing else is reachable this way: a body that is
 * not a single, plain `ping` request takes the normal path (in `jwt` mode without a token: 401). It
 * tells the caller what `GET /ping` already tells anyone: the server is up.
 */

import { isLoopbackHost } from "@mcp-token/core";
import * as z from "zod";
import type { AuthMode, PingAllowance } from "../config.js";
import { jsonResponse } from "../http/responses.js";

/** Largest body inspected, in bytes; a ping is about 50. */
export const MAX_PING_BYTES = 1024;

/** A JSON-RPC 2.0 `ping` request (MCP basic utilities); `params: null` too, as probes send it. */
const pingSchema = z.strictObject({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string().max(128), z.number().int()]),
  method: z.literal("ping"),
  params: z
    .union([z.null(), z.strictObject({ _meta: z.record(z.string(), z.unknown()).optional() })])
    .optional(),
});

/** Whether a socket's remote address is loopback (`127.0.0.0/8`, `::1`, or IPv4-mapped `127.*`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return isLoopbackHost(address.startsWith("::ffff:") ? address.slice(7) : address);
}

/**
 * Whether the server may answer a `ping` in this request itself (see the module header).
 *
 * @param peerAddress - the socket's remote address; unknown (`undefined`) never counts as loopback.
 */
export function mayAnswerPing(
  request: Request,
  auth: { mode: AuthMode; allowance: PingAllowance },
  peerAddress: string | undefined,
): boolean {
  if (auth.mode !== "jwt") return true;
  if (auth.allowance === "off") return false;
  if ((request.headers.get("authorization") ?? "").trim() !== "") return false;
  return auth.allowance === "any" || isLoopbackAddress(peerAddress);
}

/**
 * The body of a clone of `request` as text, or `undefined` once it exceeds {@link MAX_PING_BYTES}.
 * Hand-written rather than core's `readBoundedText` because that cancels the stream when the bound is
 * passed, and cancelling one branch of a cloned (teed) body waits until the other branch, which the
 * MCP SDK reads afterwards, is cancelled too: the request would hang.
 */
async function readSmallBody(request: Request): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_PING_BYTES) return undefined;
  const body = request.clone().body;
  if (body === null) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      total += value.byteLength;
      if (total > MAX_PING_BYTES) return undefined;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The answer to a request whose body is a single MCP `ping`, or `undefined` for anything else.
 * Reads a clone of the body (at most {@link MAX_PING_BYTES}), so the request stays usable.
 */
export async function answerHealthPing(request: Request): Promise<Response | undefined> {
  const text = await readSmallBody(request);
  if (text === undefined) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  const ping = pingSchema.safeParse(message);
  if (!ping.success) return undefined;
  return jsonResponse(200, { jsonrpc: "2.0", id: ping.data.id, result: {} });
}
