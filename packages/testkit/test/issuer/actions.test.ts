/**
 * The local issuer runs Auth0 Actions on the credentials-exchange trigger: the repository's own
 * caller-claims Action (the file that is deployed to Auth0) and small fixtures for the failure paths.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalIssuer, startIssuer } from "../../src/index.js";
import { brokerRequest, LEGACY, MCP, tenantOptions, tokenJson } from "../helpers/issuer.js";

const CALLER_CLAIMS_ACTION = createRequire(import.meta.url).resolve("@mcp-token/auth0-actions/caller-claims");
const A = "123456789012";
const caller = {
  mcp_token_caller: `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0a1b`,
  mcp_token_account: A,
  mcp_token_session: "alice@example.com",
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "issuer-actions-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fixture(name: string, body: string): Promise<string> {
  const file = join(dir, `${name}.cjs`);
  await writeFile(file, `exports.onExecuteCredentialsExchange = async (event, api) => {\n${body}\n};\n`);
  return file;
}

describe("startIssuer: the caller-claims Action", () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    const options = tenantOptions();
    options.clients.push({
      clientId: "intruder",
      clientSecret: "intruder-secret",
      grants: { [MCP]: ["mcp:invoke"] },
    });
    issuer = await startIssuer({
      ...options,
      actions: {
        credentialsExchange: [
          { file: CALLER_CLAIMS_ACTION, secrets: { BROKER_CLIENT_IDS: "broker", AUDIENCES: MCP } },
        ],
      },
    });
  });
  afterAll(() => issuer.close());

  it("puts the broker's caller into the token, JSON or form", async () => {
    const json = await tokenJson(issuer, { ...brokerRequest(), ...caller });
    expect(json.status).toBe(200);
    const claims = decodeJwt(((await json.json()) as { access_token: string }).access_token);
    expect(claims).toMatchObject({
      "https://mcp-token.dev/caller": caller.mcp_token_caller,
      "https://mcp-token.dev/account": A,
      "https://mcp-token.dev/session": "alice@example.com",
      client_id: "broker",
      aud: MCP,
    });
    const form = await fetch(issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...brokerRequest(), ...caller }).toString(),
    });
    expect(form.status).toBe(200);
  });

  it("leaves shared tokens alone", async () => {
    const res = await tokenJson(issuer, brokerRequest());
    const claims = decodeJwt(((await res.json()) as { access_token: string }).access_token);
    expect(Object.keys(claims).filter((k) => k.startsWith("https://mcp-token.dev/"))).toEqual([]);
  });

  it("denies a caller named by another client of the tenant, or for another API, and issues nothing", async () => {
    const before = issuer.issued();
    const other = await tokenJson(issuer, {
      grant_type: "client_credentials",
      client_id: "intruder",
      client_secret: "intruder-secret",
      audience: MCP,
      ...caller,
    });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      error: "invalid_request",
      error_description: "this client may not name a caller",
    });
    const legacy = await tokenJson(issuer, { ...brokerRequest(LEGACY), ...caller });
    expect(legacy.status).toBe(400);
    expect(issuer.issued()).toBe(before);
  });

  it("denies a malformed caller", async () => {
    const res = await tokenJson(issuer, { ...brokerRequest(), ...caller, mcp_token_account: "999999999999" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(
      /12-digit account/,
    );
  });
});

describe("startIssuer: Action failures are request failures", () => {
  async function issuerWith(file: string) {
    return startIssuer({ ...tenantOptions(), actions: { credentialsExchange: [{ file }] } });
  }

  it.each([
    ["throws", "throw new Error('boom');", 500, "server_error", /the Action failed: boom/],
    [
      "sets a reserved claim",
      "api.accessToken.setCustomClaim('sub', 'root');",
      500,
      "server_error",
      /may not set the claim "sub"/,
    ],
    [
      "denies with an unknown code",
      "api.access.deny('nope', 'x');",
      500,
      "server_error",
      /unknown code nope/,
    ],
    ["denies with server_error", "api.access.deny('server_error', 'down');", 500, "server_error", /^down$/],
    ["denies with invalid_scope", "api.access.deny('invalid_scope', 'no');", 400, "invalid_scope", /^no$/],
  ])("an Action that %s fails the request", async (_name, body, status, error, description) => {
    const issuer = await issuerWith(await fixture(`f${Math.random().toString(36).slice(2)}`, body));
    try {
      const res = await tokenJson(issuer, brokerRequest());
      expect(res.status).toBe(status);
      const answer = (await res.json()) as { error: string; error_description: string };
      expect(answer.error).toBe(error);
      expect(answer.error_description).toMatch(description);
      expect(issuer.issued()).toBe(0);
    } finally {
      await issuer.close();
    }
  });

  it("sees Auth0's event shape and chains claims of several Actions", async () => {
    const first = await fixture(
      "first",
      `if (event.client.client_id !== "broker" || event.resource_server.identifier !== ${JSON.stringify(MCP)}) throw new Error("shape");
       if (event.request.body.audience !== ${JSON.stringify(MCP)} || event.request.method !== "POST") throw new Error("body");
       if (!Array.isArray(event.transaction.requested_scopes) || event.secrets.K !== "v") throw new Error("secrets");
       api.accessToken.setCustomClaim("https://example.com/one", 1);`,
    );
    const second = await fixture(
      "second",
      `api.accessToken.setCustomClaim("https://example.com/two", event.accessToken.customClaims["https://example.com/one"] + 1);`,
    );
    const issuer = await startIssuer({
      ...tenantOptions(),
      actions: { credentialsExchange: [{ file: first, secrets: { K: "v" } }, { file: second }] },
    });
    try {
      const res = await tokenJson(issuer, brokerRequest());
      expect(res.status).toBe(200);
      const claims = decodeJwt(((await res.json()) as { access_token: string }).access_token);
      expect(claims).toMatchObject({ "https://example.com/one": 1, "https://example.com/two": 2 });
    } finally {
      await issuer.close();
    }
  });

  it("refuses at start a file without the handler", async () => {
    const file = join(dir, "empty.cjs");
    await writeFile(file, "exports.other = 1;\n");
    await expect(issuerWith(file)).rejects.toThrow(/does not export onExecuteCredentialsExchange/);
  });
});
