/**
 * The broker could not be reached at all (DNS, connection refused, TLS, timeout). Nothing was
 * answered, so there is no broker error code; `cause` holds the network error.
 */
export class BrokerConnectionError extends Error {
  readonly code = "ERR_BROKER_UNREACHABLE" as const;
  readonly brokerUrl: string;

  constructor(brokerUrl: string, cause: unknown) {
    const detail = describeNetworkError(cause);
    super(
      `Could not reach the token broker at ${brokerUrl} (${detail}); check --broker / MCP_TOKEN_BROKER_URL and your network, or run \`mcp-token doctor\`.`,
      { cause },
    );
    this.name = "BrokerConnectionError";
    this.brokerUrl = brokerUrl;
  }
}

function describeNetworkError(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === "TimeoutError" || cause.name === "AbortError") return "timed out";
    const inner = (cause as { cause?: unknown }).cause;
    if (inner instanceof Error && typeof (inner as { code?: unknown }).code === "string") {
      return String((inner as unknown as { code: string }).code);
    }
    return cause.message;
  }
  return String(cause);
}
