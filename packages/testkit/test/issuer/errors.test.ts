import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalIssuer, startIssuer } from "../../src/index.js";
import { brokerRequest, MCP, ORPHAN, tenantOptions, tokenJson } from "../helpers/issuer.js";

describe("startIssuer: Auth0-shaped errors", () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await startIssuer(tenantOptions());
  });
  afterAll(() => issuer.close());

  async function expectError(res: Response, status: number, error: string, description: string | RegExp) {
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
    expect(body.error).toBe(error);
    if (typeof description === "string") expect(body.error_description).toBe(description);
    else expect(body.error_description).toMatch(description);
  }

  it("answers invalid_client 401 for a wrong secret", async () => {
    const res = await tokenJson(issuer, { ...brokerRequest(), client_secret: "nope" });
    await expectError(res, 401, "invalid_client", "Client authentication failed");
  });

  it("answers invalid_client 401 for an unknown client, also over Basic on /token", async () => {
    await expectError(
      await tokenJson(issuer, { ...brokerRequest(), client_id: "ghost" }),
      401,
      "invalid_client",
      "Client authentication failed",
    );
    const res = await fetch(issuer.oauth2TokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("broker:wrong").toString("base64")}`,
      },
      body: `grant_type=client_credentials&resource=${encodeURIComponent(MCP)}`,
    });
    await expectError(res, 401, "invalid_client", "Client authentication failed");
  });

  it("answers unauthorized_client 403 when the client may not use client_credentials", async () => {
    const res = await tokenJson(issuer, {
      ...brokerRequest(),
      client_id: "spa",
      client_secret: "spa-secret",
    });
    await expectError(
      res,
      403,
      "unauthorized_client",
      "Grant type 'client_credentials' not allowed for the client.",
    );
  });

  it("answers access_denied 403 when the client has no grant for the audience", async () => {
    const res = await tokenJson(issuer, brokerRequest(ORPHAN));
    await expectError(
      res,
      403,
      "access_denied",
      `Client is not authorized to access "${ORPHAN}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
    );
  });

  it("answers access_denied 403 for an unknown audience", async () => {
    const res = await tokenJson(issuer, brokerRequest("https://unknown.example.com"));
    await expectError(
      res,
      403,
      "access_denied",
      "Service not enabled within domain: https://unknown.example.com",
    );
  });

  it("answers access_denied 403 without an audience", async () => {
    const { audience: _, ...noAudience } = brokerRequest();
    await expectError(
      await tokenJson(issuer, noAudience),
      403,
      "access_denied",
      "No audience parameter was provided, and no default audience has been configured",
    );
  });

  it("answers access_denied 403 for scopes outside the client grant", async () => {
    const res = await tokenJson(issuer, { ...brokerRequest(MCP), scope: "mcp:invoke mcp:admin" });
    await expectError(res, 403, "access_denied", "Client has not been granted scopes: mcp:admin");
  });

  it("answers invalid_request 400 for a missing grant_type, bad JSON or an unsupported content type", async () => {
    const { grant_type: _, ...noGrant } = brokerRequest();
    await expectError(
      await tokenJson(issuer, noGrant),
      400,
      "invalid_request",
      "Missing required parameter: grant_type",
    );
    const badJson = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    await expectError(badJson, 400, "invalid_request", "Invalid JSON body");
    const text = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    await expectError(text, 400, "invalid_request", /^Content-Type must be/);
    const nonString = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...brokerRequest(), audience: 42 }),
    });
    await expectError(nonString, 400, "invalid_request", "Parameter 'audience' must be a string");
  });

  it("answers unsupported_grant_type 400 for an unknown grant type", async () => {
    const res = await tokenJson(issuer, { ...brokerRequest(), grant_type: "urn:example:magic" });
    await expectError(res, 400, "unsupported_grant_type", "Unsupported grant type: urn:example:magic");
  });

  it("refuses a body over 64 KiB with 413 without reading it all", async () => {
    const res = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...brokerRequest(), pad: "x".repeat(70 * 1024) }),
    });
    await expectError(res, 413, "invalid_request", "Request body too large");
  });
});
