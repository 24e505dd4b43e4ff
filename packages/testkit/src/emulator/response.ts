/** An HTTP answer derived from a handler's result. */
export interface MappedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Lambda's synchronous response payload limit (6 MB). */
export const LAMBDA_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** What Lambda answers when the function fails or returns something it cannot map. */
export function functionError(): MappedResponse {
  return {
    status: 502,
    headers: [
      ["content-type", "application/json"],
      ["x-amzn-errortype", "FunctionError"],
    ],
    body: Buffer.from(JSON.stringify({ Message: "Internal Server Error" })),
  };
}

/**
 * Map a handler result to HTTP like a Function URL (payload format 2.0): an object with `statusCode`
 * is a structured response (`headers`, `cookies` → `Set-Cookie`, `body`, `isBase64Encoded`; content
 * type defaults to `application/json`); anything else is a 200 `application/json` whose body is the
 * string itself or the value's JSON.
 */
export function mapResult(result: unknown): MappedResponse {
  const mapped = mapResultUnbounded(result);
  return mapped.body.length > LAMBDA_MAX_RESPONSE_BYTES ? functionError() : mapped;
}

function mapResultUnbounded(result: unknown): MappedResponse {
  if (typeof result === "object" && result !== null && "statusCode" in result) {
    const r = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return functionError();
    const headers: [string, string][] = [];
    for (const [k, v] of Object.entries(r.headers ?? {})) {
      if (v !== undefined && v !== null) headers.push([k.toLowerCase(), String(v)]);
    }
    if (!headers.some(([k]) => k === "content-type")) headers.push(["content-type", "application/json"]);
    if (Array.isArray(r.cookies)) for (const c of r.cookies) headers.push(["set-cookie", String(c)]);
    const text =
      r.body === undefined || r.body === null
        ? ""
        : typeof r.body === "string"
          ? r.body
          : JSON.stringify(r.body);
    const body = r.isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
    return { status, headers, body };
  }
  const text = result === undefined ? "" : typeof result === "string" ? result : JSON.stringify(result);
  return { status: 200, headers: [["content-type", "application/json"]], body: Buffer.from(text, "utf8") };
}
