/**
 * One HTTP exchange with the issuer under two timeouts: `connectTimeoutMs` until the response headers
 * arrive (connection, TLS and the issuer's think time) and `timeoutMs` for the whole exchange including
 * the body, which is read with a byte limit. Redirects are not followed.
 */
import { BodyTooLargeError, type FetchLike, readBoundedText } from "@mcp-token/core";

/** Timeouts for one attempt, milliseconds. */
export interface AttemptTimeouts {
  connectTimeoutMs: number;
  timeoutMs: number;
}

/** A completed exchange. */
export interface AttemptResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** The attempt did not complete: network error, timeout or an over-long body. */
export class AttemptFailedError extends Error {
  readonly code = "ERR_UPSTREAM_ATTEMPT";
  constructor(
    readonly reason: "network" | "connect_timeout" | "timeout" | "too_large",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AttemptFailedError";
  }
}

/** Runs one request; throws {@link AttemptFailedError} for anything but a complete response. */
export async function httpAttempt(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  timeouts: AttemptTimeouts,
  maxBodyBytes: number,
): Promise<AttemptResponse> {
  const controller = new AbortController();
  let reason: "connect_timeout" | "timeout" | undefined;
  const total = setTimeout(() => {
    reason ??= "timeout";
    controller.abort();
  }, timeouts.timeoutMs);
  const connect = setTimeout(
    () => {
      reason ??= "connect_timeout";
      controller.abort();
    },
    Math.min(timeouts.connectTimeoutMs, timeouts.timeoutMs),
  );
  const target = new URL(url);
  const where = `${target.origin}${target.pathname}`;
  try {
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, redirect: "manual", signal: controller.signal });
    } finally {
      clearTimeout(connect);
    }
    const text = await readBoundedText(response.body, maxBodyBytes);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (reason === "connect_timeout") {
      throw new AttemptFailedError(
        reason,
        `no response from ${where} within ${timeouts.connectTimeoutMs} ms`,
        { cause: error },
      );
    }
    if (reason === "timeout") {
      throw new AttemptFailedError(reason, `${where} did not answer within ${timeouts.timeoutMs} ms`, {
        cause: error,
      });
    }
    if (error instanceof BodyTooLargeError) {
      throw new AttemptFailedError("too_large", `${where} sent a body larger than ${maxBodyBytes} bytes`, {
        cause: error,
      });
    }
    const detail = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new AttemptFailedError("network", `cannot reach ${where} (${detail})`, { cause: error });
  } finally {
    clearTimeout(total);
  }
}
