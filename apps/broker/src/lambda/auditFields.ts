/**
 * The audit record's part of a Powertools-layout JSON line: `,"requestId":…,…,"durationMs":…}` — the
 * record's fields in their order (`newAuditRecord`'s), each left out when undefined, null or "" (as
 * Powertools does), exactly what `JSON.stringify` of those fields gives after its opening brace.
 *
 * The caller's three fields, the profile with its scopes, and the token's expiry with its fingerprint
 * repeat from request to request; their JSON is remembered (a few hundred characters of ARNs need no
 * escaping scan per request), the rest is serialised per request.
 */
import type { AuditRecord } from "../audit.js";

/** `,"key":value` for a kept value (not undefined, null or ""), else "". */
export function jsonField(key: string, value: unknown): string {
  return value === undefined || value === null || value === "" ? "" : `,"${key}":${JSON.stringify(value)}`;
}

/** Most callers whose fields are remembered; the memo is emptied when it fills up. */
const CALLER_LIMIT = 256;

/** Creates a serialiser (one per logger: its memos live with it). */
export function createAuditFields(): (record: Readonly<AuditRecord>) => string {
  const callers = new Map<
    string,
    { normalized: string | undefined; accountId: string | undefined; json: string }
  >();
  let grantKey: [string | undefined, readonly string[] | undefined] = [undefined, undefined];
  let grantJson = "";
  let tokenKey: [string | undefined, string | undefined] = [undefined, undefined];
  let tokenJson = "";

  const caller = (r: Readonly<AuditRecord>): string => {
    if (r.principal === undefined)
      return jsonField("normalizedPrincipal", r.normalizedPrincipal) + jsonField("accountId", r.accountId);
    const known = callers.get(r.principal);
    if (known && known.normalized === r.normalizedPrincipal && known.accountId === r.accountId)
      return known.json;
    const json =
      jsonField("principal", r.principal) +
      jsonField("normalizedPrincipal", r.normalizedPrincipal) +
      jsonField("accountId", r.accountId);
    if (callers.size >= CALLER_LIMIT) callers.clear();
    callers.set(r.principal, { normalized: r.normalizedPrincipal, accountId: r.accountId, json });
    return json;
  };

  const grant = (r: Readonly<AuditRecord>): string => {
    if (r.profile !== grantKey[0] || r.scopes !== grantKey[1]) {
      grantKey = [r.profile, r.scopes];
      grantJson = jsonField("profile", r.profile) + jsonField("scopes", r.scopes);
    }
    return grantJson;
  };

  const token = (r: Readonly<AuditRecord>): string => {
    if (r.tokenExpiresAt !== tokenKey[0] || r.tokenFingerprint !== tokenKey[1]) {
      tokenKey = [r.tokenExpiresAt, r.tokenFingerprint];
      tokenJson =
        jsonField("tokenExpiresAt", r.tokenExpiresAt) + jsonField("tokenFingerprint", r.tokenFingerprint);
    }
    return tokenJson;
  };

  return (r) =>
    `${jsonField("requestId", r.requestId)}${jsonField("method", r.method)}${jsonField("path", r.path)}` +
    `${caller(r)}${grant(r)}${jsonField("outcome", r.outcome)}${jsonField("status", r.status)}` +
    `${jsonField("cache", r.cache)}${jsonField("sharedCache", r.sharedCache)}${token(r)}` +
    `${jsonField("durationMs", r.durationMs)}}`;
}
