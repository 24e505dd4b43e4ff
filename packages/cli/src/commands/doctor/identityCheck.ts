/**
 * The profile's identity mode and what the token says about the caller. A `caller` profile's token must
 * name the principal the broker knows you as (`https://mcp-token.dev/caller`, set by the caller-claims
 * Action); without the claim the Action is not deployed, not bound to the Machine to Machine flow, or
 * not configured for this client and API.
 */
import { callerIdentityOf } from "@mcp-token/core";
import type { CheckResult, DoctorState } from "./checks.js";

const TITLE = "Caller identity";
const DOCS = 'docs/DEPLOY.md, "Per-caller tokens"';

/** Diagnoses `state.profile.identity` against the token's caller claims; none without a token summary. */
export function checkIdentity(state: DoctorState): CheckResult | undefined {
  const summary = state.summary;
  if (!summary) return undefined;
  const mode = state.profile?.identity ?? "shared";
  const named = summary.caller;
  if (mode === "shared") {
    return {
      id: "identity",
      title: TITLE,
      status: "pass",
      detail: named
        ? `shared profile, yet the token names ${named.caller}: it is one token for every allowed caller`
        : "shared: one token for every allowed caller; the MCP server sees the broker's application, not you",
    };
  }
  if (!named) {
    return {
      id: "identity",
      title: TITLE,
      status: "fail",
      detail: "per-caller profile, but the token has no https://mcp-token.dev/caller claim",
      fix: `deploy auth0/actions/caller-claims.cjs, bind it to the Machine to Machine flow, and list the broker's client id and this API in its secrets BROKER_CLIENT_IDS and AUDIENCES (${DOCS})`,
    };
  }
  const you = state.whoami ? callerIdentityOf(state.whoami.principal) : undefined;
  const session = named.session ? ` (session ${named.session})` : "";
  if (you && (you.caller !== named.caller || you.session !== named.session)) {
    return {
      id: "identity",
      title: TITLE,
      status: "fail",
      detail: `the token names ${named.caller}${session}, but the broker knows you as ${you.caller}${you.session ? ` (session ${you.session})` : ""}`,
      fix: "a broker admin should check that no other Action sets https://mcp-token.dev/ claims",
    };
  }
  return {
    id: "identity",
    title: TITLE,
    status: "pass",
    detail: `per-caller: the token names you, ${named.caller}${session}, account ${named.account}`,
  };
}
