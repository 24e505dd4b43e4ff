/**
 * Per-caller tokens at the MCP server: the local issuer runs the repository's caller-claims Action, the
 * server (jwt mode) requires the caller's account with an AgentCore `customClaims` rule, `whoami` shows
 * the caller, and the request and tool-call log lines carry the token's fingerprint: the same value
 * the broker writes into its audit line for that token.
 */
import { createRequire } from "node:module";
import { tokenFingerprint } from "@mcp-token/core";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimMismatch,
  loadConfig,
  type RunningServer,
  startServer,
  type WhoamiResult,
} from "../../src/index.js";
import { INITIALIZE, memoryLogger, postMcp } from "../support/helpers.js";
import { CLIENTS, RFC9068_AUDIENCE } from "../support/testkit.js";

const ACTION = createRequire(import.meta.url).resolve("@mcp-token/auth0-actions/caller-claims");
const A = "123456789012";
const ACCOUNT_CLAIM = "https://mcp-token.dev/account";
const ALICE = {
  mcp_token_caller: `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0a1b`,
  mcp_token_account: A,
  mcp_token_session: "alice@example.com",
};

let issuer: LocalIssuer;
let server: RunningServer;
const { logger, entries: lines } = memoryLogger();

beforeAll(async () => {
  issuer = await startIssuer({
    apis: [{ audience: RFC9068_AUDIENCE, profile: "rfc9068", scopes: ["invoke"] }],
    clients: [{ ...CLIENTS.allowed, grants: { [RFC9068_AUDIENCE]: ["invoke"] } }],
    actions: {
      credentialsExchange: [
        {
          file: ACTION,
          secrets: { BROKER_CLIENT_IDS: CLIENTS.allowed.clientId, AUDIENCES: RFC9068_AUDIENCE },
        },
      ],
    },
  });
  server = await startServer({
    config: loadConfig({
      MCP_AUTH: "jwt",
      AUTH_DISCOVERY_URL: issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: RFC9068_AUDIENCE,
      AUTH_ALLOWED_CLIENTS: CLIENTS.allowed.clientId,
      AUTH_CUSTOM_CLAIMS: JSON.stringify([
        {
          inboundTokenClaimName: ACCOUNT_CLAIM,
          inboundTokenClaimValueType: "STRING",
          authorizingClaimMatchValue: {
            claimMatchOperator: "EQUALS",
            claimMatchValue: { matchValueString: A },
          },
        },
      ]),
      PORT: "0",
      HOST: "127.0.0.1",
    }),
    logger,
  });
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

async function token(fields: Record<string, string>): Promise<string> {
  const res = await fetch(issuer.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: CLIENTS.allowed.clientId,
      client_secret: CLIENTS.allowed.clientSecret,
      audience: RFC9068_AUDIENCE,
      ...fields,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const callWhoami = (bearer: string) =>
  postMcp(
    server.mcpUrl,
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } },
    {
      authorization: `Bearer ${bearer}`,
    },
  );

/** The JSON-RPC result of a response sent as JSON or as one SSE event. */
async function rpcResult(res: Response): Promise<{ structuredContent?: unknown }> {
  const text = await res.text();
  const json = res.headers.get("content-type")?.startsWith("text/event-stream")
    ? (text.split("\n").find((l) => l.startsWith("data: ")) ?? "").slice(6)
    : text;
  return (JSON.parse(json) as { result: { structuredContent?: unknown } }).result;
}

describe("jwt mode: per-caller tokens", () => {
  it("shows the caller in whoami and logs the broker's join key for the request and the tool call", async () => {
    // Prepare
    const bearer = await token(ALICE);
    const fingerprint = await tokenFingerprint(bearer);
    expect((await postMcp(server.mcpUrl, INITIALIZE, { authorization: `Bearer ${bearer}` })).status).toBe(
      200,
    );
    lines.length = 0;
    // Act
    const res = await callWhoami(bearer);
    // Assess
    expect(res.status).toBe(200);
    const who = (await rpcResult(res)).structuredContent as WhoamiResult;
    expect(who.caller).toEqual({ arn: ALICE.mcp_token_caller, account: A, session: "alice@example.com" });
    expect(who.tokenFingerprint).toBe(fingerprint);
    await new Promise((r) => setTimeout(r, 50)); // the request line is written when the response ends
    const toolCall = lines.find((l) => l.msg === "tool call");
    const request = lines.find((l) => l.msg === "request");
    expect(toolCall).toMatchObject({
      tool: "whoami",
      tokenFingerprint: fingerprint,
      caller: ALICE.mcp_token_caller,
      callerSession: "alice@example.com",
    });
    expect(request).toMatchObject({
      status: 200,
      auth: "verified",
      tokenFingerprint: fingerprint,
      caller: ALICE.mcp_token_caller,
    });
    expect(JSON.stringify(lines)).not.toContain(bearer.split(".")[2]);
  });

  it("refuses a shared token (no caller claims) when the account claim is required, as AgentCore would", async () => {
    const res = await callWhoami(await token({}));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error?: { message?: string } }).error?.message ?? "").toBe(
      claimMismatch(ACCOUNT_CLAIM),
    );
  });
});
