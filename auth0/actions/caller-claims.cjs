/**
 * mcp-token caller-claims: an Auth0 Action for the Machine to Machine flow (trigger
 * `credentials-exchange`). It turns the caller the mcp-token broker names in its client-credentials
 * request into claims of the access token, so the MCP server (and AgentCore's `customClaims`) can tell
 * which AWS principal asked:
 *
 *   https://mcp-token.dev/caller   the principal without its session (arn:aws:iam::<account>:role/<role>, …)
 *   https://mcp-token.dev/account  its 12-digit account id
 *   https://mcp-token.dev/session  the IAM Identity Center user, for AWSReservedSSO_… role sessions only
 *
 * Who may name a caller: only the clients listed in the Action secret `BROKER_CLIENT_IDS`, and only
 * for the APIs listed in `AUDIENCES` (both comma-separated). Any other client that sends the fields, a
 * listed client asking for another API, a malformed or oversize value, or an unknown `mcp_token_*`
 * field is denied (`invalid_request`); a missing secret denies every request that names a caller
 * (`server_error`). A request that names no caller is left alone: shared tokens are unchanged.
 *
 * Deploy: paste this file as the Action's code (Node 22 runtime, no dependencies), add the two
 * secrets, deploy, and bind it to the Machine to Machine flow. docs/DEPLOY.md shows the dashboard and
 * Management API steps. The local issuer of the repository runs this same file for every
 * client-credentials request (`packages/testkit`), so the local stack exercises the shipped code.
 *
 * Plain CommonJS (hence `.cjs` in this ESM repository) with JSDoc types: Auth0 runs the source as
 * written, so nothing is compiled.
 */

/** Namespace of the claims (Auth0 asks for URI-namespaced custom claims). */
const NAMESPACE = "https://mcp-token.dev/";

/** Claim names; `@mcp-token/core` has the same (its tests compare them). */
const CLAIMS = {
  caller: `${NAMESPACE}caller`,
  account: `${NAMESPACE}account`,
  session: `${NAMESPACE}session`,
};

/** Request body fields the broker sends; `@mcp-token/core` `CALLER_REQUEST_FIELDS`. */
const FIELDS = {
  caller: "mcp_token_caller",
  account: "mcp_token_account",
  session: "mcp_token_session",
};

const FIELD_PREFIX = "mcp_token_";

/** IAM's limit for an ARN. */
const MAX_ARN_LENGTH = 2048;

/**
 * A principal without its session: an IAM role or user (with path), the account root, or an STS
 * federated user. Names use IAM's character set `[\w+=,.@-]`.
 */
const PRINCIPAL_ARN =
  /^arn:aws(?:-[a-z]+)*:(?:iam::(\d{12}):(?:root|(role|user)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))|sts::(\d{12}):federated-user\/[\w+=,.@-]+)$/;

/** STS role session names: 2 to 64 characters of `[\w+=,.@-]`. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Roles IAM Identity Center creates; it names their sessions after the signed-in user. */
const IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

/** Largest accepted value of a list secret (client ids or audiences), characters. */
const MAX_SECRET_LENGTH = 8192;

/**
 * @typedef {object} CredentialsExchangeEvent The parts of Auth0's credentials-exchange `event` used here.
 * @property {{ client_id: string }} client
 * @property {{ identifier: string }} resource_server
 * @property {{ body?: Record<string, unknown> }} request
 * @property {Record<string, string | undefined>} [secrets]
 */

/**
 * @typedef {object} CredentialsExchangeApi The parts of Auth0's credentials-exchange `api` used here.
 * @property {{ deny(code: "invalid_scope" | "invalid_request" | "server_error", reason: string): unknown }} access
 * @property {{ setCustomClaim(name: string, value: unknown): unknown }} accessToken
 */

/**
 * @param {string | undefined} value
 * @returns {Set<string>}
 */
function listSecret(value) {
  if (typeof value !== "string" || value.length > MAX_SECRET_LENGTH) return new Set();
  return new Set(
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ""),
  );
}

/**
 * The caller fields of the request body, or a reason to deny.
 *
 * @param {Record<string, unknown>} body
 * @returns {{ caller: string, account: string, session?: string } | { problem: string }}
 */
function callerFields(body) {
  const known = new Set(Object.values(FIELDS));
  const unknown = Object.keys(body).filter((key) => key.startsWith(FIELD_PREFIX) && !known.has(key));
  if (unknown.length > 0) return { problem: `unknown caller field ${unknown[0]?.slice(0, 40)}` };
  const caller = body[FIELDS.caller];
  const account = body[FIELDS.account];
  const session = body[FIELDS.session];
  if (typeof caller !== "string" || caller.length > MAX_ARN_LENGTH) {
    return {
      problem: `${FIELDS.caller} must be an IAM principal ARN of at most ${MAX_ARN_LENGTH} characters`,
    };
  }
  const match = PRINCIPAL_ARN.exec(caller);
  if (!match) {
    return { problem: `${FIELDS.caller} must be a role, user, root or federated-user ARN without a session` };
  }
  const arnAccount = match[1] ?? match[4];
  if (typeof account !== "string" || account !== arnAccount) {
    return { problem: `${FIELDS.account} must be the 12-digit account of ${FIELDS.caller}` };
  }
  if (session === undefined) return { caller, account };
  const isIdentityCenterRole =
    match[2] === "role" && (match[3] ?? "").startsWith(IDENTITY_CENTER_ROLE_PREFIX);
  if (typeof session !== "string" || !SESSION_NAME.test(session)) {
    return { problem: `${FIELDS.session} must be a role session name of 2 to 64 characters` };
  }
  if (!isIdentityCenterRole) {
    return { problem: `${FIELDS.session} is accepted only for IAM Identity Center (AWSReservedSSO_…) roles` };
  }
  return { caller, account, session };
}

/**
 * Handler that will be called during the execution of a Client Credentials exchange.
 *
 * @param {CredentialsExchangeEvent} event Details about the Client Credentials exchange request.
 * @param {CredentialsExchangeApi} api Methods to change the behaviour of the exchange.
 */
exports.onExecuteCredentialsExchange = async (event, api) => {
  const body = event.request?.body ?? {};
  const named = Object.keys(body).some((key) => key.startsWith(FIELD_PREFIX));
  if (!named) return;

  const clients = listSecret(event.secrets?.BROKER_CLIENT_IDS);
  const audiences = listSecret(event.secrets?.AUDIENCES);
  if (clients.size === 0 || audiences.size === 0) {
    api.access.deny(
      "server_error",
      "mcp-token caller-claims is not configured: set the Action secrets BROKER_CLIENT_IDS and AUDIENCES",
    );
    return;
  }
  if (!clients.has(event.client.client_id)) {
    api.access.deny("invalid_request", "this client may not name a caller");
    return;
  }
  if (!audiences.has(event.resource_server.identifier)) {
    api.access.deny("invalid_request", "callers may not be named for this API");
    return;
  }
  const fields = callerFields(body);
  if ("problem" in fields) {
    api.access.deny("invalid_request", fields.problem);
    return;
  }
  api.accessToken.setCustomClaim(CLAIMS.caller, fields.caller);
  api.accessToken.setCustomClaim(CLAIMS.account, fields.account);
  if (fields.session !== undefined) api.accessToken.setCustomClaim(CLAIMS.session, fields.session);
};

// Not used by Auth0; lets the repository's tests check the names against @mcp-token/core.
exports.CLAIMS = CLAIMS;
exports.FIELDS = FIELDS;
