/**
 * The one thing `jwt` mode may answer without a token, when `MCP_ALLOW_UNAUTHENTICATED_PING` allows
 * it: an MCP `ping` POSTed to `/mcp` by a health probe. AgentCore Runtime is reported to probe a
 * runtime's container with exactly that and no `Authorization` (README, "Health checks", for the
 * sources); a container that answers 401 is marked unhealthy.
 *
 * The answer is built here, never by the MCP SDK, so no tool, resource or other method is reachable
 * this way: a body that is not a single, plain `ping` request takes the normal path and gets 401. It
 * tells the caller what `GET /ping` already tells anyone: the server is up.
 */
import { BodyTooLargeError, readBoundedText } from "@mcp-token/core";
import * as z from "zod";
import type { PingAllowance } from "../config.js";
import { jsonResponse } from "../http/responses.js";

/** Largest body inspected, in bytes; a ping is about 50. */
export const MAX_PING_BYTES = 1024;

/** A JSON-RPC 2.0 `ping` request (MCP basic utilities): nothing more is accepted. */
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
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

/** Whether a request is one the allowance may answer: no credentials, and a peer it admits. */
export function mayAnswerUnauthenticatedPing(
  request: Request,
  allowance: PingAllowance,
  peerAddress: string | undefined,
): boolean {
  if (allowance === "off") return false;
  if ((request.headers.get("authorization") ?? "").trim() !== "") return false;
  return allowance === "any" || isLoopbackAddress(peerAddress);
}

/**
 * The answer to a request whose body is a single MCP `ping`, or `undefined` for anything else.
 * Reads a clone of the body (at most {@link MAX_PING_BYTES}), so the request stays usable.
 */
export async function answerHealthPing(request: Request): Promise<Response | undefined> {
  let text: string;
  try {
    text = await readBoundedText(request.clone().body, MAX_PING_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return undefined;
    throw e;
  }
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
