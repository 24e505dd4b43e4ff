import { isLoopbackHost } from "@mcp-token/core";
import { invalidArgument } from "../errors/invalidArgument.js";

/**
 * Parses and checks a broker URL: `https:` anywhere, `http:` only on loopback (local stacks and
 * tests). No credentials, query or fragment. Returns the URL with a trailing slash on its path, so
 * `new URL("v1/token", base)` keeps a base path.
 */
export function parseBrokerUrl(value: unknown, name = "brokerUrl"): URL {
  if (typeof value !== "string" || value.length === 0) {
    throw invalidArgument(`"${name}" must be a non-empty string (the broker's Function URL)`);
  }
  if (value.length > 2048) throw invalidArgument(`"${name}" must be at most 2048 characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(`"${name}" must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw invalidArgument(`"${name}" must be an https: URL (http: is allowed only for loopback hosts)`);
  }
  if (url.username || url.password) throw invalidArgument(`"${name}" must not contain credentials`);
  if (url.search || url.hash) throw invalidArgument(`"${name}" must not contain a query or fragment`);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
