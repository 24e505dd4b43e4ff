/** JSON-RPC error codes used outside the MCP SDK. */
export const JSONRPC_ERRORS = {
  /** AgentCore's code for authorizer refusals. */
  unauthorized: -32001,
  /** Generic server-side condition (e.g. shutting down, issuer unavailable). */
  serverError: -32000,
  invalidRequest: -32600,
  methodNotFound: -32601,
} as const;

/** A JSON response with `Cache-Control: no-store`. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** A JSON-RPC error response without an id (the request was refused before parsing). */
export function jsonRpcErrorResponse(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { jsonrpc: "2.0", id: null, error: { code, message } }, headers);
}
