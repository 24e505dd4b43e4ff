/**
 * Every bad input of the v1 API with its documented answer. Used in-process (test/broker.test.ts) and
 * through the SigV4 Function URL emulator (test/e2e/emulator.test.ts).
 */
export interface BadInputCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  error: string;
  description: RegExp;
  allow?: string;
}

const json = { "content-type": "application/json" };

export const BAD_INPUTS: BadInputCase[] = [
  {
    name: "a body over 8 KB",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: JSON.stringify({ profile: "default", scopes: ["x".repeat(9000)] }),
    status: 413,
    error: "payload_too_large",
    description: /larger than 8192 bytes/,
  },
  {
    name: "a wrong content type",
    method: "POST",
    path: "/v1/token",
    headers: { "content-type": "text/plain" },
    body: '{"profile":"default"}',
    status: 400,
    error: "invalid_request",
    description: /Content-Type must be application\/json, got "text\/plain"/,
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '{"profile": "default",',
    status: 400,
    error: "invalid_request",
    description: /not valid JSON/,
  },
  {
    name: "a JSON body that is not an object",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '["default"]',
    status: 400,
    error: "invalid_request",
    description: /./,
  },
  {
    name: "an unknown field",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '{"profile":"default","audience":"https://other/"}',
    status: 400,
    error: "invalid_request",
    description: /unknown field "audience"/,
  },
  {
    name: "a bad scope",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '{"scopes":["has space"]}',
    status: 400,
    error: "invalid_request",
    description: /scopes\[0\]/,
  },
  {
    name: "a bad minTtlSeconds",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '{"minTtlSeconds":-5}',
    status: 400,
    error: "invalid_request",
    description: /minTtlSeconds/,
  },
  {
    name: "a bad profile name",
    method: "GET",
    path: "/v1/token?profile=..%2Fetc",
    status: 400,
    error: "invalid_request",
    description: /profile/,
  },
  {
    name: "an unknown query parameter",
    method: "GET",
    path: "/v1/token?profile=default&audience=x",
    status: 400,
    error: "invalid_request",
    description: /audience/,
  },
  {
    name: "query parameters on POST",
    method: "POST",
    path: "/v1/token?profile=default",
    headers: json,
    body: "{}",
    status: 400,
    error: "invalid_request",
    description: /JSON body/,
  },
  {
    name: "an unknown path",
    method: "GET",
    path: "/v2/token",
    status: 400,
    error: "invalid_request",
    description: /Unknown path "\/v2\/token"/,
  },
  {
    name: "a wrong method on /v1/token",
    method: "DELETE",
    path: "/v1/token",
    status: 405,
    error: "method_not_allowed",
    description: /does not accept DELETE/,
    allow: "POST, GET",
  },
  {
    name: "a wrong method on /v1/whoami",
    method: "POST",
    path: "/v1/whoami",
    headers: json,
    body: "{}",
    status: 405,
    error: "method_not_allowed",
    description: /use GET/,
    allow: "GET",
  },
  {
    name: "an unknown profile",
    method: "GET",
    path: "/v1/token?profile=nope",
    status: 404,
    error: "unknown_profile",
    description: /Profile "nope" does not exist/,
  },
  {
    name: "a scope outside the profile",
    method: "POST",
    path: "/v1/token",
    headers: json,
    body: '{"profile":"default","scopes":["invoke","admin"]}',
    status: 403,
    error: "access_denied",
    description: /Scope "admin" is not allowed for profile "default"/,
  },
];

/** Checks a response against a case; returns the parsed body. */
export async function expectErrorResponse(
  res: Response,
  expected: { status: number; error: string; description: RegExp; allow?: string },
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  const { expect } = await import("vitest");
  expect({ status: res.status, error: body.error }).toEqual({
    status: expected.status,
    error: expected.error,
  });
  expect(Object.keys(body).sort()).toEqual(["error", "error_description", "request_id"]);
  expect(body.error_description).toMatch(expected.description);
  expect(typeof body.request_id).toBe("string");
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  if (expected.allow) expect(res.headers.get("allow")).toBe(expected.allow);
  return body;
}
