/**
 * The caller-claims Action against Auth0's documented credentials-exchange shapes: `event.client`
 * (`client_id`, `name`, `metadata`), `event.resource_server.identifier`, `event.request.body` (the token
 * request's POST body), `event.secrets`; `api.access.deny(code, reason)` and
 * `api.accessToken.setCustomClaim(name, value)`.
 */
import { createRequire } from "node:module";
import { CALLER_CLAIMS, CALLER_REQUEST_FIELDS } from "@mcp-token/core";
import { describe, expect, it } from "vitest";

interface Action {
  onExecuteCredentialsExchange(event: unknown, api: unknown): Promise<void>;
  CLAIMS: Record<string, string>;
  FIELDS: Record<string, string>;
}
const action = createRequire(import.meta.url)("../actions/caller-claims.cjs") as Action;

const A = "123456789012";
const BROKER = "broker-client-id";
const AUDIENCE = "https://mcp.example.com/";
const ROLE = `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0a1b2c3d`;

function event(
  body: Record<string, unknown>,
  over: { clientId?: string; audience?: string; secrets?: Record<string, string | undefined> } = {},
) {
  return {
    accessToken: { customClaims: {}, scope: ["mcp:invoke"] },
    client: { client_id: over.clientId ?? BROKER, name: "mcp-token broker", metadata: {} },
    request: {
      body: {
        grant_type: "client_credentials",
        client_id: over.clientId ?? BROKER,
        audience: AUDIENCE,
        ...body,
      },
      hostname: "tenant.us.auth0.com",
      ip: "192.0.2.1",
      method: "POST",
      user_agent: "mcp-token-broker",
    },
    resource_server: { identifier: over.audience ?? AUDIENCE },
    secrets: over.secrets ?? { BROKER_CLIENT_IDS: `other, ${BROKER}`, AUDIENCES: AUDIENCE },
    tenant: { id: "tenant" },
    transaction: { requested_scopes: ["mcp:invoke"] },
  };
}

async function run(ev: unknown) {
  const claims: Record<string, unknown> = {};
  const denials: { code: string; reason: string }[] = [];
  const api = {
    access: { deny: (code: string, reason: string) => denials.push({ code, reason }) },
    accessToken: {
      setCustomClaim: (name: string, value: unknown) => {
        claims[name] = value;
      },
    },
  };
  await action.onExecuteCredentialsExchange(ev, api);
  return { claims, denials };
}

const named = (over: Record<string, unknown> = {}) => ({
  mcp_token_caller: ROLE,
  mcp_token_account: A,
  mcp_token_session: "alice@example.com",
  ...over,
});

describe("Action: caller-claims", () => {
  it("uses the claim names and request fields of @mcp-token/core", () => {
    expect(action.CLAIMS).toEqual(CALLER_CLAIMS);
    expect(action.FIELDS).toEqual(CALLER_REQUEST_FIELDS);
  });

  it("copies the caller of the broker's client into namespaced claims", async () => {
    expect(await run(event(named()))).toEqual({
      claims: {
        "https://mcp-token.dev/caller": ROLE,
        "https://mcp-token.dev/account": A,
        "https://mcp-token.dev/session": "alice@example.com",
      },
      denials: [],
    });
    const agent = await run(
      event({ mcp_token_caller: `arn:aws:iam::${A}:role/mcp-agent`, mcp_token_account: A }),
    );
    expect(agent.claims).toEqual({
      "https://mcp-token.dev/caller": `arn:aws:iam::${A}:role/mcp-agent`,
      "https://mcp-token.dev/account": A,
    });
  });

  it("accepts users with paths, the root and federated users", async () => {
    for (const caller of [
      `arn:aws:iam::${A}:user/ops/bob`,
      `arn:aws:iam::${A}:root`,
      `arn:aws-us-gov:sts::${A}:federated-user/carol`,
    ]) {
      const { denials, claims } = await run(event({ mcp_token_caller: caller, mcp_token_account: A }));
      expect(denials).toEqual([]);
      expect(claims["https://mcp-token.dev/caller"]).toBe(caller);
    }
  });

  it("leaves a request that names no caller alone, whoever sends it", async () => {
    expect(await run(event({}))).toEqual({ claims: {}, denials: [] });
    expect(await run(event({}, { clientId: "someone-else" }))).toEqual({ claims: {}, denials: [] });
    expect(await run({ ...event({}), request: {} })).toEqual({ claims: {}, denials: [] });
  });

  it("denies a caller named by any other client, or for another API", async () => {
    expect(await run(event(named(), { clientId: "someone-else" }))).toEqual({
      claims: {},
      denials: [{ code: "invalid_request", reason: "this client may not name a caller" }],
    });
    expect(await run(event(named(), { audience: "https://other.example.com/" }))).toEqual({
      claims: {},
      denials: [{ code: "invalid_request", reason: "callers may not be named for this API" }],
    });
  });

  it("denies every named caller while its secrets are missing or empty", async () => {
    for (const secrets of [
      {},
      { BROKER_CLIENT_IDS: BROKER },
      { BROKER_CLIENT_IDS: " , ", AUDIENCES: AUDIENCE },
      { BROKER_CLIENT_IDS: "x".repeat(9000), AUDIENCES: AUDIENCE },
    ]) {
      const { claims, denials } = await run(event(named(), { secrets }));
      expect(claims).toEqual({});
      expect(denials).toEqual([
        { code: "server_error", reason: expect.stringContaining("BROKER_CLIENT_IDS and AUDIENCES") },
      ]);
    }
    const noSecrets = { ...event(named()), secrets: undefined };
    expect((await run(noSecrets)).denials[0]?.code).toBe("server_error");
  });

  it.each([
    [
      "a session ARN",
      { mcp_token_caller: `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_D_1/alice` },
      "without a session",
    ],
    ["another service", { mcp_token_caller: `arn:aws:s3:::bucket` }, "without a session"],
    ["a wildcard", { mcp_token_caller: `arn:aws:iam::${A}:role/*` }, "without a session"],
    [
      "a short account",
      { mcp_token_caller: `arn:aws:iam::12345:role/r`, mcp_token_account: "12345" },
      "without a session",
    ],
    ["a number", { mcp_token_caller: 42 }, "at most 2048"],
    ["an oversize ARN", { mcp_token_caller: `arn:aws:iam::${A}:role/${"a".repeat(2100)}` }, "at most 2048"],
    ["a missing account", { mcp_token_account: undefined }, "12-digit account"],
    ["another account", { mcp_token_account: "210987654321" }, "12-digit account"],
    [
      "a session on a plain role",
      { mcp_token_caller: `arn:aws:iam::${A}:role/mcp-agent` },
      "only for IAM Identity Center",
    ],
    [
      "a session on a user",
      { mcp_token_caller: `arn:aws:iam::${A}:user/AWSReservedSSO_x` },
      "only for IAM Identity Center",
    ],
    ["an oversize session", { mcp_token_session: "s".repeat(65) }, "2 to 64"],
    ["a session with a slash", { mcp_token_session: "alice/admin" }, "2 to 64"],
    ["an empty session", { mcp_token_session: "" }, "2 to 64"],
    ["a newline in the ARN", { mcp_token_caller: `${ROLE}\n` }, "without a session"],
    ["an unknown field", { mcp_token_role: "admin" }, "unknown caller field mcp_token_role"],
  ])("denies %s and sets no claim", async (_name, over, reason) => {
    const { claims, denials } = await run(event(named(over)));
    expect(claims).toEqual({});
    expect(denials).toEqual([{ code: "invalid_request", reason: expect.stringContaining(reason) }]);
  });

  it("denies a request that names only part of a caller", async () => {
    const { claims, denials } = await run(event({ mcp_token_session: "alice" }));
    expect(claims).toEqual({});
    expect(denials[0]?.code).toBe("invalid_request");
  });
});
