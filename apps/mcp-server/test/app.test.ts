import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrlOf, createMcpServerApp, type McpServerApp } from "../src/index.js";
import { type FakeIssuer, startFakeIssuer } from "./support/fakeIssuer.js";
import { INITIALIZE, jwtConfig, MCP_HEADERS } from "./support/helpers.js";

let issuer: FakeIssuer;
let app: McpServerApp;
let publicApp: McpServerApp;

beforeAll(async () => {
  issuer = await startFakeIssuer();
  app = createMcpServerApp(jwtConfig(issuer.discoveryUrl, { AUTH_ALLOWED_AUDIENCES: issuer.audience }));
  publicApp = createMcpServerApp(
    jwtConfig(issuer.discoveryUrl, {
      AUTH_ALLOWED_AUDIENCES: issuer.audience,
      MCP_PUBLIC_URL: "https://mcp.example.com/",
    }),
  );
});
afterAll(async () => {
  await app?.close();
  await publicApp?.close();
  await issuer?.close();
});

const post = (target: McpServerApp, headers: Record<string, string> = {}) =>
  target.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, ...headers },
      body: JSON.stringify(INITIALIZE),
    }),
  );

describe("Function: createMcpServerApp (web-standard core)", () => {
  it("derives the challenge's metadata URL from Host and X-Forwarded-Proto", async () => {
    const res = await post(app, { host: "mcp.internal:8000", "x-forwarded-proto": "https" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="https://mcp.internal:8000/.well-known/oauth-protected-resource"',
    );
  });

  it("uses MCP_PUBLIC_URL when set, whatever the Host", async () => {
    const res = await post(publicApp, { host: "evil.example", authorization: "Bearer x.y.z" });
    expect(res.headers.get("www-authenticate")).toMatch(
      /^Bearer resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource", error="invalid_token", error_description="/,
    );
  });

  it.each(["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"])(
    "serves the protected-resource metadata at %s",
    async (path) => {
      const res = await publicApp.fetch(new Request(`http://localhost${path}`));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        resource: "https://mcp.example.com/mcp",
        authorization_servers: [issuer.url],
        bearer_methods_supported: ["header"],
      });
    },
  );

  it("refuses POST to the metadata with 405", async () => {
    const res = await app.fetch(
      new Request("http://localhost/.well-known/oauth-protected-resource", { method: "POST" }),
    );
    expect(res.status).toBe(405);
  });

  it("reports the auth outcome and reason of each request", async () => {
    const handled = await app.handle(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: {
          ...MCP_HEADERS,
          authorization: `Bearer ${await issuer.mint({ claims: { aud: "nope" } })}`,
        },
        body: JSON.stringify(INITIALIZE),
      }),
    );
    expect(handled).toMatchObject({ auth: "rejected", authReason: "audience_mismatch" });
    expect(handled.response.status).toBe(401);
  });
});

describe("Function: baseUrlOf", () => {
  const req = (headers: Record<string, string>) => new Request("http://localhost/mcp", { headers });
  it.each([
    [{ host: "127.0.0.1:8000" }, "http://127.0.0.1:8000"],
    [{ host: "[::1]:8000" }, "http://[::1]:8000"],
    [{ host: "a.example", "x-forwarded-proto": "https, http" }, "https://a.example"],
    [{ host: 'x"; evil=1' }, "http://localhost"],
    [{}, "http://localhost"],
  ])("maps %j to %s", (headers, expected) => {
    expect(baseUrlOf(req(headers), {})).toBe(expected);
  });
});
