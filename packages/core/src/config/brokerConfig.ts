/**
 * The broker configuration document (env `MCP_TOKEN_BROKER_CONFIG` or a file), validated once at cold
 * start. Every object is strict (unknown keys are errors, so a typo such as `"alow"` cannot silently
 * disable a setting), and every problem is reported with its full path:
 * `profiles.default.allow[2]: expected an IAM ARN pattern, got "arn:aws:iam::role/x": …`.
 */
import { z } from "zod";
import { TOKEN_REQUEST_LIMITS } from "../api/limits.js";
import { profileNameSchema, scopeSchema } from "../api/tokenRequest.js";
import { callerChosenNameReason, validateAllowPattern } from "../arn/pattern.js";
import { ConfigError, type ConfigIssue } from "../errors/configError.js";
import { isLoopbackHost } from "../net/loopback.js";
import { formatIssuePath } from "./formatIssuePath.js";

/**
 * An OAuth issuer URL: `https:` (or `http:` for loopback hosts only), no credentials, query or
 * fragment. Normalised to end with `/` (`https://tenant.auth0.com` → `https://tenant.auth0.com/`).
 */
export const issuerUrlSchema = z
  .string({ error: "expected an issuer URL string such as https://tenant.us.auth0.com/" })
  .max(2048, { error: "expected at most 2048 characters" })
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `expected an absolute URL such as https://tenant.us.auth0.com/, got ${JSON.stringify(value.slice(0, 80))}`,
      });
      return z.NEVER;
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
      ctx.addIssue({
        code: "custom",
        message: "expected an https: URL (http: is allowed only for localhost/127.0.0.1/[::1])",
      });
      return z.NEVER;
    }
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: "expected a URL without credentials, query or fragment" });
      return z.NEVER;
    }
    return url.href.endsWith("/") ? url.href : `${url.href}/`;
  });

const allowPatternSchema = z.string().superRefine((value, ctx) => {
  const problem = validateAllowPattern(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** An https origin (`https://login.example.com`), or http on loopback for the local stack. */
const originSchema = issuerUrlSchema.refine((url) => new URL(url).pathname === "/", {
  error: "expected an origin such as https://login.example.com (no path)",
});

/** One profile: which issuer/audience to get tokens for, with which secret, and who may. */
const profileObjectSchema = z.strictObject({
  /** Issuer base URL; the token endpoint is `{issuer}oauth/token` (auth0) or from its metadata (oauth2). */
  issuer: issuerUrlSchema,
  /** The API audience (Auth0 `audience`, RFC 8707 `resource`). */
  audience: z.string().min(1, { error: "expected a non-empty audience" }).max(2048),
  /** Secrets Manager secret id or ARN holding `{ "client_id", "client_secret" }`. */
  secretId: z.string().min(1, { error: "expected a Secrets Manager secret id or ARN" }).max(2048),
  /**
   * The client id the secret must hold (the deployment knows it for the MCP server's allowed clients).
   * When set, a secret holding another client id is an operator error naming both, instead of tokens
   * the MCP server would refuse. Default: not checked.
   */
  expectedClientId: z.string().min(1).max(256).optional(),
  /** Scopes requested by default. Default `[]`. */
  scopes: z.array(scopeSchema).max(TOKEN_REQUEST_LIMITS.maxScopes).default([]),
  /**
   * `auth0` (JSON body with `audience`), `oauth2` (form body, `resource`, discovered token endpoint) or
   * `cognito` (Amazon Cognito: form body with `scope` only, the user pool domain's `/oauth2/token` from
   * discovery; `audience` is the resource server identifier that prefixes every scope, since Cognito
   * access tokens carry no `aud`). Default `"auth0"`.
   */
  requestStyle: z
    .enum(["auth0", "oauth2", "cognito"], { error: 'expected "auth0", "oauth2" or "cognito"' })
    .default("auth0"),
  /** IAM principal patterns allowed to use this profile (at least one). */
  allow: z
    .array(allowPatternSchema, { error: "expected an array of IAM ARN patterns" })
    .min(1, { error: "expected at least one IAM ARN pattern; nobody could use this profile" })
    .max(1000),
  /**
   * Default minimum remaining token lifetime, in seconds (0..43200). Default 300. The broker never asks
   * for more than half of a token's lifetime (see the broker's `tokens.ts`).
   */
  minTtlSeconds: z.number().int().min(0).max(TOKEN_REQUEST_LIMITS.maxMinTtlSeconds).default(300),
  /**
   * Accept `allow` patterns that identify callers by a name the caller chooses (federated-user names,
   * assumed-role session names outside IAM Identity Center). Default `false`: such patterns are refused,
   * because anyone who can call `GetFederationToken` or assume a matching role can pick the same name.
   */
  allowCallerChosenNames: z.boolean().default(false),
  /**
   * `oauth2` profiles: origins other than the issuer's that a discovered `token_endpoint` may have.
   * Default `[]`: the token endpoint (which receives the client secret) must be on the issuer's origin.
   */
  allowedTokenEndpointOrigins: z.array(originSchema).max(16).default([]),
  /**
   * `shared` (default): one token per scope set for every allowed caller. `caller`: the broker names
   * the caller in its token request (core `CALLER_REQUEST_FIELDS`), the credentials-exchange Action
   * (`auth0/actions/caller-claims.cjs`) puts it into the token's `https://mcp-token.dev/` claims, and
   * tokens are cached per caller. Auth0 only (`requestStyle: "auth0"`).
   */
  identity: z.enum(["shared", "caller"], { error: 'expected "shared" or "caller"' }).default("shared"),
});

/** One profile, with the `allow` patterns checked against `allowCallerChosenNames`. */
export const profileConfigSchema = profileObjectSchema.superRefine((profile, ctx) => {
  if (profile.identity === "caller" && profile.requestStyle !== "auth0") {
    ctx.addIssue({
      code: "custom",
      path: ["identity"],
      message:
        'per-caller tokens need requestStyle "auth0": the caller reaches the token through an Auth0 credentials-exchange Action, which other issuers do not run',
    });
  }
  if (profile.requestStyle === "cognito") for (const issue of cognitoIssues(profile)) ctx.addIssue(issue);
  if (profile.allowCallerChosenNames) return;
  profile.allow.forEach((pattern, index) => {
    const reason = callerChosenNameReason(pattern);
    if (reason === undefined) return;
    ctx.addIssue({
      code: "custom",
      path: ["allow", index],
      message: `${JSON.stringify(pattern.slice(0, 200))} ${reason}, so it does not identify a caller; use a role or user ARN, or an IAM Identity Center role session, or set "allowCallerChosenNames": true on the profile to accept it`,
    });
  });
});

/**
 * Amazon Cognito mistakes caught before deployment: the issuer is the user pool
 * (`https://cognito-idp.<region>.amazonaws.com/<pool id>`), not its domain (`*.amazoncognito.com`, where
 * only the token endpoint lives), and custom scopes are named `<resource server identifier>/<scope>`.
 */
function cognitoIssues(profile: z.output<typeof profileObjectSchema>) {
  const issues: { code: "custom"; path: (string | number)[]; message: string }[] = [];
  const host = new URL(profile.issuer).hostname;
  if (host.endsWith(".amazoncognito.com")) {
    issues.push({
      code: "custom",
      path: ["issuer"],
      message: `${host} is the user pool's domain (its token endpoint); the issuer is https://cognito-idp.<region>.amazonaws.com/<user pool id>, and the domain goes into allowedTokenEndpointOrigins`,
    });
  }
  profile.scopes.forEach((scope, index) => {
    if (!scope.startsWith(`${profile.audience}/`)) {
      issues.push({
        code: "custom",
        path: ["scopes", index],
        message: `Cognito names custom scopes <resource server identifier>/<scope>: expected "${profile.audience}/…" (the profile's audience is the resource server identifier), got ${JSON.stringify(scope.slice(0, 100))}`,
      });
    }
  });
  return issues;
}

/** A validated profile (defaults applied, issuer normalised). */
export type ProfileConfig = z.output<typeof profileConfigSchema>;

/**
 * How many tokens one principal's requests may make the broker issue upstream per window, per broker
 * instance. A cache key costs at most about two issuances per token lifetime (refresh-ahead at 75 %,
 * `minTtlSeconds` capped at half the lifetime), so the default, 60 per hour, covers a principal using
 * two scope sets with 5-minute tokens; with the usual hour-long tokens it is about fifteen times what
 * one principal needs, and it stops the "a new token on every request" pattern that would spend
 * Auth0's free plan (about 1,000 M2M tokens a month) within minutes.
 */
export const issuanceBudgetSchema = z.strictObject({
  /** Issuances per window (1..10000). Default 60. */
  max: z.number().int().min(1).max(10_000).default(60),
  /** Window length in seconds (1..86400). Default 3600. */
  windowSeconds: z.number().int().min(1).max(86_400).default(3600),
});

/** A validated issuance budget. */
export type IssuanceBudgetConfig = z.output<typeof issuanceBudgetSchema>;

/** Schema of the whole broker configuration: `{ profiles: { <name>: ProfileConfig } }`, at least one profile. */
export const brokerConfigSchema = z.strictObject({
  profiles: z
    .record(profileNameSchema, profileConfigSchema, { error: "expected an object of profiles" })
    .refine((p) => Object.keys(p).length >= 1, { error: "expected at least one profile" }),
  /** Per-principal issuance budget; default `{ "max": 60, "windowSeconds": 3600 }`. */
  issuanceBudget: issuanceBudgetSchema.prefault({}),
});

/** A validated broker configuration. */
export type BrokerConfig = z.output<typeof brokerConfigSchema>;

const TOP_KEYS = Object.keys(brokerConfigSchema.shape);
const PROFILE_KEYS = Object.keys(profileObjectSchema.shape);

/** Turn zod issues into `{ path, message }` pairs, one per unknown key, with full paths. */
export function toConfigIssues(error: z.ZodError): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const allowed =
          issue.path.length === 0 ? TOP_KEYS : issue.path.length === 2 ? PROFILE_KEYS : undefined;
        const hint = allowed ? `; allowed keys are ${allowed.join(", ")}` : "";
        issues.push({ path: formatIssuePath([...issue.path, key]), message: `unknown key${hint}` });
      }
    } else if (issue.code === "invalid_key") {
      issues.push({
        path: formatIssuePath(issue.path),
        message: `invalid profile name: ${issue.issues[0]?.message ?? issue.message}`,
      });
    } else {
      issues.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return issues;
}

/**
 * Validate a broker configuration.
 *
 * @param input The parsed JSON document, or a JSON string.
 * @returns the configuration with defaults applied.
 * @throws ConfigError listing every problem with its full path.
 */
export function parseBrokerConfig(input: unknown): BrokerConfig {
  let doc = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (cause) {
      throw new ConfigError([{ path: "", message: "not valid JSON" }], { cause });
    }
  }
  const result = brokerConfigSchema.safeParse(doc);
  if (!result.success) throw new ConfigError(toConfigIssues(result.error));
  return result.data;
}
