/**
 * Auth0 Actions in the local issuer: the `credentials-exchange` trigger (Machine to Machine flow) runs
 * each configured Action file, in order, for every client-credentials request that passed the tenant's
 * checks, before a token is minted, with the `event` and `api` shapes Auth0 documents
 * (auth0.com/docs/customize/actions/explore-triggers/credentials-exchange: event object, API object).
 *
 * The file is loaded as Auth0 runs it: a CommonJS module exporting `onExecuteCredentialsExchange`.
 * The repository's own Action (`auth0/actions/caller-claims.cjs`) is what the local stack runs, so its
 * tests exercise the shipped code.
 *
 * Stricter than Auth0 where Auth0 is lenient: an Action that throws, runs longer than
 * {@link ACTION_TIMEOUT_MS}, sets a claim Auth0 reserves, or denies with a code Auth0 does not list fails
 * the request instead of being ignored. A denial answers 400 with the Action's code and reason
 * (`invalid_request`, `invalid_scope`) or 500 (`server_error`), as Auth0's client-credentials hook
 * documentation describes; the exact status Auth0 gives Actions' denials is not documented.
 */
import { createRequire } from "node:module";
import type { TokenError } from "./tokenRequest.js";

/** One Action bound to the credentials-exchange trigger. */
export interface IssuerAction {
  /** Path of the Action's source (CommonJS, exports `onExecuteCredentialsExchange`). */
  file: string;
  /** The Action's secrets (`event.secrets`). */
  secrets?: Record<string, string>;
}

/** What a request looks like to the Actions. */
export interface CredentialsExchangeInput {
  clientId: string;
  audience: string;
  scopes: string[];
  /** The token request's POST body as parsed (form or JSON). */
  body: Record<string, string>;
  hostname: string;
  ip: string;
  userAgent: string;
}

/** Auth0 gives an Action 20 s; locally a hung Action should fail fast. */
export const ACTION_TIMEOUT_MS = 5000;

const DENY_CODES: Record<string, number> = { invalid_request: 400, invalid_scope: 400, server_error: 500 };

/** Claims Auth0 does not let an Action set on an access token (registered and Auth0-owned). */
const RESERVED_CLAIMS = new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "azp",
  "scope",
  "scp",
  "gty",
  "client_id",
  "permissions",
  "org_id",
  "org_name",
]);

type Handler = (event: unknown, api: unknown) => unknown;

const requireAction = createRequire(import.meta.url);

/** Loads an Action's handler; throws naming the file when it has none. */
export function loadAction(file: string): Handler {
  const mod = requireAction(file) as { onExecuteCredentialsExchange?: unknown };
  if (typeof mod.onExecuteCredentialsExchange !== "function") {
    throw new TypeError(`${file} does not export onExecuteCredentialsExchange`);
  }
  return mod.onExecuteCredentialsExchange as Handler;
}

/** Runs the credentials-exchange Actions for one request: the custom claims to add, or the error to answer. */
export async function runCredentialsExchange(
  actions: readonly { handler: Handler; secrets: Record<string, string> }[],
  input: CredentialsExchangeInput,
): Promise<{ claims: Record<string, unknown> } | TokenError> {
  const claims: Record<string, unknown> = {};
  for (const action of actions) {
    let denial: { code: string; reason: string } | undefined;
    let failure: string | undefined;
    const api = {
      access: {
        deny(code: string, reason?: string) {
          denial ??= { code, reason: reason ?? "" };
          return api;
        },
      },
      accessToken: {
        setCustomClaim(name: string, value: unknown) {
          if (typeof name !== "string" || name === "" || RESERVED_CLAIMS.has(name)) {
            failure ??= `the Action may not set the claim ${JSON.stringify(String(name).slice(0, 64))}`;
          } else {
            claims[name] = value;
          }
          return api;
        },
      },
      cache: createActionCache(),
    };
    const event = {
      accessToken: { customClaims: { ...claims }, scope: [...input.scopes] },
      client: { client_id: input.clientId, name: input.clientId, metadata: {} },
      request: {
        body: { ...input.body },
        hostname: input.hostname,
        ip: input.ip,
        method: "POST",
        user_agent: input.userAgent,
        language: "",
        geoip: {},
      },
      resource_server: { identifier: input.audience },
      secrets: { ...action.secrets },
      tenant: { id: "local" },
      transaction: { requested_scopes: [...input.scopes] },
    };
    try {
      await withTimeout(Promise.resolve(action.handler(event, api)), ACTION_TIMEOUT_MS);
    } catch (error) {
      failure ??= `the Action failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (denial) {
      const status = DENY_CODES[denial.code];
      if (status === undefined)
        failure ??= `the Action denied with an unknown code ${denial.code.slice(0, 40)}`;
      else return { status, error: denial.code, error_description: denial.reason.slice(0, 500) };
    }
    if (failure !== undefined)
      return { status: 500, error: "server_error", error_description: failure.slice(0, 500) };
  }
  return { claims };
}

/** `api.cache` of one execution (Auth0's cache is best-effort; an empty one is a valid stand-in). */
function createActionCache() {
  const values = new Map<string, string>();
  return {
    get: (key: string) => (values.has(key) ? { value: values.get(key) } : undefined),
    set: (key: string, value: string) => {
      values.set(key, value);
      return { type: "success" };
    },
    delete: (key: string) => {
      values.delete(key);
      return { type: "success" };
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
