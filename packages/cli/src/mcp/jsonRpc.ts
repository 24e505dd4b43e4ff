/** JSON-RPC 2.0 shapes as the proxy sees them (forwarded verbatim, so only what routing needs). */
export type JsonRpcId = string | number | null;

export interface JsonRpcMessage {
  jsonrpc: "2.0";
  id?: JsonRpcId;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** A request: has `method` and an `id`. */
export function isRequest(m: JsonRpcMessage): boolean {
  return typeof m.method === "string" && m.id !== undefined && m.id !== null;
}

/** A notification: has `method` and no `id`. */
export function isNotification(m: JsonRpcMessage): boolean {
  return typeof m.method === "string" && m.id === undefined;
}

/** A response: no `method`, has `result` or `error`. */
export function isResponse(m: JsonRpcMessage): boolean {
  return m.method === undefined && ("result" in m || "error" in m);
}

/** `true` for a JSON-RPC 2.0 message object (request, notification or response). */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return false;
  if ("id" in m && !(typeof m.id === "string" || typeof m.id === "number" || m.id === null)) return false;
  if ("method" in m) return typeof m.method === "string";
  return "result" in m || "error" in m;
}

/** Standard JSON-RPC error codes used by the proxy. */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  internalError: -32603,
  /** Authentication failures (the code AgentCore uses). */
  unauthorized: -32001,
} as const;

/** An error response. */
export function errorResponse(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcMessage {
  return { jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}
