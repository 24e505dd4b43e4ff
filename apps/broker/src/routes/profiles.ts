/** `GET /v1/profiles`: the profiles the caller may use, with audience and scopes. */
import type { ProfilesResponse } from "@mcp-token/core";
import { mayUseProfile } from "../authorize.js";
import { type BrokerResponse, jsonResponse } from "../http/exchange.js";
import type { RouteContext } from "./context.js";

/** Answers `{ profiles: [{ name, audience, scopes, identity }] }`, only those whose `allow` admits the caller, sorted by name. */
export function listProfiles(ctx: RouteContext): BrokerResponse {
  const profiles = Object.entries(ctx.config.profiles)
    .filter(([, profile]) => mayUseProfile(ctx.principal, profile))
    .map(([name, profile]) => ({
      name,
      audience: profile.audience,
      scopes: [...profile.scopes],
      identity: profile.identity,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const body: ProfilesResponse = { profiles };
  return jsonResponse(body);
}
