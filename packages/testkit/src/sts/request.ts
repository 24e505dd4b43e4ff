/**
 * `GetWebIdentityToken` parameters as the AWS Query protocol sends them (form body:
 * `Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=…&DurationSeconds=…&SigningAlgorithm=…
 * &SubjectMode=…&Tags.member.1.Key=…&Tags.member.1.Value=…`), validated with the constraints of the STS
 * API reference: 1–10 audiences, `DurationSeconds` 60–3600 (default 300), `SigningAlgorithm` RS256 or
 * ES384 (required), `SubjectMode` AWSIdentity or OriginIdentity, at most 50 tags (key ≤ 128, value ≤ 256
 * characters), `Scope` only with `OriginIdentity` and exactly one audience. Violations are AWS's
 * `ValidationError` ("1 validation error detected: …").
 */
import type { StsError } from "./xml.js";

/** A validated `GetWebIdentityToken` request. */
export interface WebIdentityTokenRequest {
  audiences: string[];
  durationSeconds: number;
  signingAlgorithm: "RS256" | "ES384";
  subjectMode: "AWSIdentity" | "OriginIdentity";
  tags: Record<string, string>;
  scope?: string;
}

export const STS_VERSION = "2011-06-15";
const MAX_AUDIENCES = 10;
const MAX_AUDIENCE_LENGTH = 1000;
const MAX_TAGS = 50;

const validation = (message: string): StsError => ({
  status: 400,
  code: "ValidationError",
  message: `1 validation error detected: ${message}`,
});

/** Indexed list members `<prefix>.member.N[suffix]`, in order; a gap ends the list as AWS reads it. */
function members(params: URLSearchParams, prefix: string, suffix = ""): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 1000; i++) {
    const value = params.get(`${prefix}.member.${i}${suffix}`);
    if (value === null) break;
    out.push(value);
  }
  return out;
}

/** Parses and validates the form parameters of a `GetWebIdentityToken` call. */
export function parseWebIdentityTokenRequest(params: URLSearchParams): WebIdentityTokenRequest | StsError {
  const audiences = members(params, "Audience");
  if (audiences.length === 0) {
    return validation("Value null at 'audience' failed to satisfy constraint: Member must not be null");
  }
  if (audiences.length > MAX_AUDIENCES) {
    return validation(
      `Value at 'audience' failed to satisfy constraint: Member must have length less than or equal to ${MAX_AUDIENCES}`,
    );
  }
  const badAudience = audiences.find((a) => a.length < 1 || a.length > MAX_AUDIENCE_LENGTH);
  if (badAudience !== undefined) {
    return validation(
      `Value at 'audience' failed to satisfy constraint: Member must satisfy constraint: [Member must have length between 1 and ${MAX_AUDIENCE_LENGTH}]`,
    );
  }
  const durationText = params.get("DurationSeconds");
  const durationSeconds = durationText === null ? 300 : Number(durationText);
  if (!/^\d{1,5}$/.test(durationText ?? "300") || durationSeconds < 60 || durationSeconds > 3600) {
    return validation(
      `Value '${String(durationText).slice(0, 20)}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 60 and 3600`,
    );
  }
  const signingAlgorithm = params.get("SigningAlgorithm");
  if (signingAlgorithm === null) {
    return validation(
      "Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null",
    );
  }
  if (signingAlgorithm !== "RS256" && signingAlgorithm !== "ES384") {
    return validation(
      `Value '${signingAlgorithm.slice(0, 20)}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]`,
    );
  }
  const subjectMode = params.get("SubjectMode") ?? "AWSIdentity";
  if (subjectMode !== "AWSIdentity" && subjectMode !== "OriginIdentity") {
    return validation(
      `Value '${subjectMode.slice(0, 20)}' at 'subjectMode' failed to satisfy constraint: Member must satisfy enum value set: [AWSIdentity, OriginIdentity]`,
    );
  }
  const keys = members(params, "Tags", ".Key");
  const values = members(params, "Tags", ".Value");
  if (keys.length > MAX_TAGS) {
    return validation(
      `Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`,
    );
  }
  const tags: Record<string, string> = {};
  for (const [i, key] of keys.entries()) {
    const value = values[i];
    if (value === undefined || key.length < 1 || key.length > 128 || value.length > 256) {
      return validation(
        "Value at 'tags' failed to satisfy constraint: Member must satisfy constraint: [Key length 1-128, Value length 0-256]",
      );
    }
    tags[key] = value;
  }
  const scope = params.get("Scope");
  const request: WebIdentityTokenRequest = {
    audiences,
    durationSeconds,
    signingAlgorithm,
    subjectMode,
    tags,
  };
  if (scope !== null) {
    if (subjectMode !== "OriginIdentity" || audiences.length !== 1) {
      return validation(
        "Scope can be specified only with SubjectMode OriginIdentity and exactly one audience",
      );
    }
    request.scope = scope;
  }
  return request;
}
