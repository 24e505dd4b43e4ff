/**
 * The typed, validated configuration of one deployment stage (`infra/stages.ts` holds the values).
 *
 * Validated when SST loads the app (`sst install`, `sst deploy`, `sst diff`), before any resource is
 * planned, so a typo fails there with the full path of the field, e.g.
 * `stages.prod.broker.profiles.default.allow[0]: expected an IAM ARN pattern, got "arn:aws:iam::role/x": …`,
 * and never at the first token request. Every object is strict: an unknown key (`"alow"`) is an error.
 *
 * Pure: no SST or Pulumi globals, so it is unit-tested like any other module.
 */
import {
  ConfigError,
  type ConfigIssue,
  formatIssuePath,
  profileNameSchema,
  scopeSchema,
  TOKEN_REQUEST_LIMITS,
  validateAllowPattern,
} from "@mcp-token/core";
import { z } from "zod";

/** AWS region code such as `us-west-2` or `eu-central-1`. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** A 12-digit AWS account id. */
const ACCOUNT_ID = /^\d{12}$/;
/** A DNS host name (Auth0 tenant `example.us.auth0.com` or a custom domain), no scheme, port or path. */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** An Auth0 client id (public identifier, not a secret). */
const CLIENT_ID = /^[A-Za-z0-9_.-]{1,128}$/;
/** A complete Secrets Manager secret ARN, including the 6-character suffix AWS appends. */
const SECRET_ARN =
  /^arn:(aws[a-z-]*):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$/;
/** A KMS key ARN. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:key\/[0-9a-f-]{36}$/;
/** An IAM role ARN (for cross-account invokers). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;

/** Lambda limits all environment variables of a function together to 4 KB. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

const allowPatternSchema = z.string().superRefine((value, ctx) => {
  const problem = validateAllowPattern(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** Where an issuer's client credentials live: created empty (default) or an existing secret. */
const secretSchema = z.strictObject({
  /** Use this existing secret (complete ARN, same region) instead of creating one. */
  arn: z
    .string()
    .regex(SECRET_ARN, {
      error:
        "expected a complete Secrets Manager ARN ending in the 6-character suffix, e.g. arn:aws:secretsmanager:us-west-2:123456789012:secret:mcp-token/auth0-AbCdEf",
    })
    .optional(),
  /** Customer-managed KMS key the existing secret is encrypted with; the broker gets kms:Decrypt on it. */
  kmsKeyArn: z.string().regex(KMS_KEY_ARN, { error: "expected a KMS key ARN" }).optional(),
  /**
   * A role that may also read the secret (break glass: incident response, migration). Every other
   * principal is denied `GetSecretValue` by the secret's resource policy. Same account only.
   */
  breakGlassRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/, {
      error: "expected an IAM role ARN such as arn:aws:iam::123456789012:role/SecurityBreakGlass",
    })
    .optional(),
});

/** Issuer names: a profile's `issuer`, and part of the secret's name. */
const ISSUER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** One more token issuer beside `auth0`, each with its own client credentials secret. */
const issuerSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("auth0"),
      /** Tenant domain or custom domain, no scheme. */
      domain: z.string().regex(HOST_NAME, { error: "expected a host name such as example.us.auth0.com" }),
      /** Default audience of this issuer's profiles. */
      audience: z.string().min(1).max(2048),
      clientId: z.string().regex(CLIENT_ID, { error: "expected an Auth0 client id" }),
      tokenProfile: z.enum(["rfc9068", "auth0"]).default("rfc9068"),
      secret: secretSchema.default({}),
    }),
    z.strictObject({
      kind: z.literal("cognito"),
      /** User pool id, `<region>_<id>`; the issuer is `https://cognito-idp.<region>.amazonaws.com/<id>`. */
      userPoolId: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}_[A-Za-z0-9]{1,55}$/, {
        error: "expected a user pool id such as us-west-2_AbCdEf123",
      }),
      /** The user pool's domain (its `/oauth2/token`), e.g. `acme.auth.us-west-2.amazoncognito.com` or a custom one. */
      domain: z.string().regex(HOST_NAME, {
        error: "expected the user pool domain such as acme.auth.us-west-2.amazoncognito.com (no https://)",
      }),
      /** The resource server identifier: profiles' default audience, and the prefix of their scopes. */
      resourceServer: z.string().min(1).max(256),
      /** The app client (with a secret and the client-credentials flow). */
      clientId: z.string().regex(/^[a-z0-9]{1,128}$/, { error: "expected a Cognito app client id" }),
      secret: secretSchema.default({}),
    }),
    z.strictObject({
      kind: z.literal("oauth2"),
      /** Issuer URL (https); discovery at `{issuer}/.well-known/openid-configuration`. */
      issuer: z
        .string()
        .max(2048)
        .regex(/^https:\/\/[^\s?#]+$/, { error: "expected an https issuer URL" }),
      /** Default audience (RFC 8707 `resource`) of this issuer's profiles. */
      audience: z.string().min(1).max(2048),
      /** The client id the secret holds, when the MCP server allows clients by it. */
      clientId: z.string().regex(CLIENT_ID).optional(),
      /** Origins besides the issuer's that its discovered token endpoint may have. */
      tokenEndpointOrigins: z
        .array(z.string().regex(/^https:\/\/[a-z0-9.-]+(?::\d+)?$/))
        .max(8)
        .default([]),
      secret: secretSchema.default({}),
    }),
  ],
  { error: 'expected kind "auth0", "cognito" or "oauth2"' },
);

/** A validated additional issuer. */
export type IssuerConfig = z.output<typeof issuerSchema>;

const brokerProfileSchema = z.strictObject({
  /**
   * The issuer this profile's tokens come from: `auth0` (the stage's `auth0` block, default) or a name
   * in `issuers`.
   */
  issuer: z
    .string()
    .regex(ISSUER_NAME, { error: "expected an issuer name (lower case, digits, -)" })
    .optional(),
  /** API identifier to request tokens for. Default: `auth0.audience`. */
  audience: z.string().min(1).max(2048).optional(),
  /** Scopes requested by default. Default `[]`. */
  scopes: z.array(scopeSchema).max(TOKEN_REQUEST_LIMITS.maxScopes).default([]),
  /** IAM principals allowed to use this profile (role ARNs admit their SSO/assumed-role sessions). */
  allow: z
    .array(allowPatternSchema)
    .min(1, { error: "expected at least one IAM ARN pattern; nobody could use this profile" })
    .max(200),
  /** Default minimum remaining token lifetime, seconds. Default 300. */
  minTtlSeconds: z.number().int().min(0).max(TOKEN_REQUEST_LIMITS.maxMinTtlSeconds).default(300),
  /**
   * `shared` (default) or `caller`: tokens naming each IAM caller, through the caller-claims Action
   * (docs/DEPLOY.md, "Per-caller tokens"). Left out of the broker configuration when `shared`.
   */
  identity: z.enum(["shared", "caller"], { error: 'expected "shared" or "caller"' }).optional(),
});

/** Schema of one stage's configuration. Input type: {@link StageConfigInput}; output: {@link StageConfig}. */
const stageConfigObject = z.strictObject({
  /** AWS region everything is deployed to (and where the broker reads its secret). */
  region: z.string().regex(REGION, { error: "expected an AWS region such as us-west-2" }),
  /** The AWS account this stage must be deployed to; `sst deploy` refuses any other account. */
  accountId: z.string().regex(ACCOUNT_ID, { error: "expected a 12-digit AWS account id" }),
  /** The primary Auth0 tenant (issuer `auth0`). Optional when every profile names one of `issuers`. */
  auth0: z
    .strictObject({
      /** Tenant domain (`example.us.auth0.com`) or custom domain, without `https://` or a path. */
      domain: z.string().regex(HOST_NAME, {
        error: "expected a host name such as example.us.auth0.com (no https://, no path, lower case)",
      }),
      /** The Auth0 API identifier, which is the token audience. */
      audience: z.string().min(1).max(2048),
      /** Client id of the Auth0 machine-to-machine application whose secret the broker holds. */
      clientId: z
        .string()
        .regex(CLIENT_ID, { error: "expected an Auth0 client id (letters, digits, _ . -)" })
        .refine((id) => !/^REPLACE_WITH/i.test(id), {
          error:
            "still the example placeholder; put the client id of your Auth0 machine-to-machine application here (Auth0 dashboard → Applications → your M2M app → Client ID), the same one the secret holds",
        }),
      /**
       * Access token profile of the Auth0 API: `rfc9068` puts `client_id` in tokens (needed for AgentCore's
       * `allowedClients`); `auth0` (Auth0's default) does not.
       */
      tokenProfile: z.enum(["rfc9068", "auth0"], { error: 'expected "rfc9068" or "auth0"' }),
    })
    .optional(),
  /** The Auth0 client secret. Default: an empty secret is created; its value is set out of band. */
  secret: secretSchema.default({}),
  /**
   * More token issuers (Auth0 tenants, Amazon Cognito user pools, other OAuth 2.0 servers) by name,
   * each with its own secret (created empty and fenced like the Auth0 one, or an existing ARN);
   * profiles name theirs with `issuer`. Default none.
   */
  issuers: z
    .record(
      z.string().regex(ISSUER_NAME, { error: "expected an issuer name (lower case, digits, -)" }),
      issuerSchema,
    )
    .default({}),
  broker: z.strictObject({
    /** Memory in MB (Lambda CPU scales with it). Default 512. */
    memoryMb: z.number().int().min(128).max(10240).default(512),
    /** Timeout in seconds; must exceed the broker's 8 s upstream deadline. Default 15. */
    timeoutSeconds: z.number().int().min(10).max(900).default(15),
    /** Reserved concurrency: caps instances (and so Auth0 traffic); unset = account pool. */
    reservedConcurrency: z.number().int().min(1).max(1000).optional(),
    /** Profiles served by the broker: name → audience, scopes, who may use it. */
    profiles: z
      .record(profileNameSchema, brokerProfileSchema)
      .refine((p) => Object.keys(p).length >= 1, { error: "expected at least one profile" }),
  }),
  /**
   * AWS-native tokens (IAM outbound identity federation, docs/SOURCES.md): the account's issuer, as
   * `aws iam enable-outbound-web-identity-federation` (or `get-outbound-web-identity-federation-info`)
   * returns it, and what callers may ask STS `GetWebIdentityToken` for. With it the deployment creates
   * a managed policy granting exactly that (`webIdentityTokenPolicyArn`); `mcpServer.trust:
   * "aws-outbound"` points the runtime's authorizer at this issuer. Default: none.
   */
  awsOutboundIdentity: z
    .strictObject({
      /** The account's outbound issuer URL, e.g. `https://abc123-….tokens.sts.global.api.aws`. */
      issuer: z
        .string()
        .max(512)
        .regex(/^https:\/\/[a-z0-9.-]+(?::\d{1,5})?\/?$/, {
          error:
            "expected the issuer URL AWS returned, such as https://abc123-def456.tokens.sts.global.api.aws (https, no path)",
        })
        .transform((url) => url.replace(/\/$/, "")),
      /** Audiences callers may request (`sts:IdentityTokenAudience`), 1 to 10: the MCP servers' identifiers. */
      audiences: z.array(z.string().min(1).max(1000)).min(1).max(10),
      /** Longest token lifetime callers may request (`sts:DurationSeconds`), 60–3600. Default 900. */
      maxDurationSeconds: z.number().int().min(60).max(3600).default(900),
    })
    .optional(),
  /** Who may call the broker from other AWS accounts (resource-based `aws.lambda.Permission`s). */
  invoke: z
    .strictObject({
      /** 12-digit account ids or IAM role ARNs in other accounts. Default `[]`. */
      crossAccountPrincipals: z
        .array(
          z.string().refine((v) => ACCOUNT_ID.test(v) || ROLE_ARN.test(v), {
            error: "expected a 12-digit account id or an IAM role ARN",
          }),
        )
        .max(50)
        .default([]),
    })
    .default({ crossAccountPrincipals: [] }),
  /** The MCP server on AgentCore Runtime. */
  mcpServer: z
    .strictObject({
      /**
       * The MCP side of the deployment (docs/DEPLOY.md):
       * - `none`: broker only, in front of an MCP server deployed elsewhere (nothing else created);
       * - `existing`: an AgentCore runtime you already run (`runtimeArn`): nothing created; the
       *   outputs give the authorizer settings to apply to it;
       * - `image`: your own container (`image.dockerfile` and `image.context`, or a pushed `image.uri`)
       *   on an AgentCore runtime created here, with this stage's authorizer;
       * - `demo`: this repository's MCP server (apps/mcp-server) on an AgentCore runtime created here.
       * Default `demo`.
       */
      mode: z
        .enum(["none", "existing", "image", "demo"], {
          error: 'expected "none", "existing", "image" or "demo"',
        })
        .default("demo"),
      /** With `mode: "existing"`: the runtime's ARN. */
      runtimeArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:runtime\/[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}$/,
          {
            error:
              "expected an AgentCore runtime ARN such as arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/my_server-AbCdEf1234",
          },
        )
        .optional(),
      /** With `mode: "image"`: a Dockerfile to build (arm64), or an image already pushed to ECR. */
      image: z
        .union([
          z.strictObject({
            /** Dockerfile, relative to the repository root. */
            dockerfile: z.string().min(1).max(512),
            /** Build context, relative to the repository root. Default the Dockerfile's directory. */
            context: z.string().min(1).max(512).optional(),
          }),
          z.strictObject({
            /** An arm64 image in ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:…` or `:tag`). */
            uri: z
              .string()
              .regex(
                /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9._/-]+(?::[\w.-]+|@sha256:[0-9a-f]{64})$/,
                {
                  error:
                    "expected an ECR image URI such as 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-mcp@sha256:…",
                },
              ),
          }),
        ])
        .optional(),
      /** JWT `aud` values AgentCore accepts. Default: `[auth0.audience]`. */
      allowedAudiences: z.array(z.string().min(1).max(2048)).max(20).optional(),
      /** `client_id` claim values AgentCore accepts. Default: `[auth0.clientId]` with `rfc9068`, else none. */
      allowedClients: z.array(z.string().regex(CLIENT_ID)).max(20).optional(),
      /** Scopes AgentCore requires (a token must carry at least one). Default: none checked. */
      allowedScopes: z
        .array(
          z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, { error: "expected an OAuth scope token" }),
        )
        .max(20)
        .optional(),
      /**
       * AgentCore `customClaims` rules, in AgentCore's shape (every rule must hold), e.g. require the
       * caller claim: `{ inboundTokenClaimName: "https://mcp-token.dev/caller", inboundTokenClaimValueType:
       * "STRING", authorizingClaimMatchValue: { claimMatchOperator: "EQUALS", claimMatchValue: {
       * matchValueString: "…" } } }`.
       */
      customClaims: z
        .array(
          z.strictObject({
            inboundTokenClaimName: z.string().min(1).max(255),
            inboundTokenClaimValueType: z.enum(["STRING", "STRING_ARRAY"]),
            authorizingClaimMatchValue: z.strictObject({
              claimMatchOperator: z.enum(["EQUALS", "CONTAINS", "CONTAINS_ANY"]),
              claimMatchValue: z.strictObject({
                matchValueString: z.string().min(1).max(255).optional(),
                matchValueStringList: z.array(z.string().min(1).max(255)).min(1).max(255).optional(),
              }),
            }),
          }),
        )
        .max(20)
        .optional(),
      /**
       * How the container treats requests: `agentcore` trusts AgentCore's verification (the runtime
       * strips `Authorization`); `jwt` re-verifies the token in the container (AgentCore forwards
       * `Authorization`). Default `agentcore`.
       */
      containerAuth: z.enum(["agentcore", "jwt"]).default("agentcore"),
      /**
       * Which tokens the runtime's authorizer trusts: `auth0` (the broker's, default) or `aws-outbound`
       * (STS `GetWebIdentityToken` tokens of `awsOutboundIdentity.issuer`, audiences from there, no
       * client id: STS tokens carry none). AgentCore takes one discovery URL per runtime.
       */
      trust: z
        .string()
        .regex(/^(?:aws-outbound|[a-z][a-z0-9-]{0,31})$/, {
          error: 'expected "auth0", "aws-outbound" or the name of an issuer in issuers',
        })
        .default("auth0"),
    })
    .default({ mode: "demo", containerAuth: "agentcore", trust: "auth0" }),
});

/** Schema of one stage's configuration. Input type: {@link StageConfigInput}; output: {@link StageConfig}. */
export const stageConfigSchema = stageConfigObject.superRefine((stage, ctx) => {
  const secretArn = stage.secret.arn;
  if (secretArn !== undefined) {
    const match = SECRET_ARN.exec(secretArn);
    if (match && match[2] !== stage.region) {
      ctx.addIssue({
        code: "custom",
        path: ["secret", "arn"],
        message: `the secret is in ${match[2]} but the stage deploys to ${stage.region}; the broker reads secrets in its own region`,
      });
    }
  }
  const breakGlass = stage.secret.breakGlassRoleArn;
  if (breakGlass !== undefined && breakGlass.split(":")[4] !== stage.accountId) {
    ctx.addIssue({
      code: "custom",
      path: ["secret", "breakGlassRoleArn"],
      message: `the role is in account ${breakGlass.split(":")[4]} but the stage deploys to ${stage.accountId}; only a role of the same account can be let through the secret's resource policy`,
    });
  }
  if (stage.secret.kmsKeyArn !== undefined && secretArn === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["secret", "kmsKeyArn"],
      message: "only valid with secret.arn (a created secret uses the AWS managed key)",
    });
  }
  const mcp = stage.mcpServer;
  if (mcp.mode === "existing" && mcp.runtimeArn === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "runtimeArn"],
      message: 'required with mode "existing": the ARN of the AgentCore runtime the broker serves tokens for',
    });
  }
  if (mcp.mode !== "existing" && mcp.runtimeArn !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "runtimeArn"],
      message: 'only valid with mode "existing"',
    });
  }
  if (mcp.mode === "image" && mcp.image === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "image"],
      message:
        'required with mode "image": { "dockerfile": "path/to/Dockerfile" } or { "uri": "<ECR image URI>" }',
    });
  }
  if (mcp.mode !== "image" && mcp.image !== undefined) {
    ctx.addIssue({ code: "custom", path: ["mcpServer", "image"], message: 'only valid with mode "image"' });
  }
  if (mcp.trust === "aws-outbound" && stage.awsOutboundIdentity === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "trust"],
      message:
        '"aws-outbound" needs awsOutboundIdentity { issuer, audiences }: the issuer URL of `aws iam enable-outbound-web-identity-federation` and the audiences the runtime accepts',
    });
  }
  if (mcp.trust === "aws-outbound" && mcp.allowedClients !== undefined && mcp.allowedClients.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "allowedClients"],
      message:
        "STS web identity tokens carry no client_id claim, so AgentCore would reject every token; remove allowedClients",
    });
  }
  for (const issue of issuerIssues(stage)) ctx.addIssue(issue);
  const clients = stage.mcpServer.allowedClients;
  if (
    stage.auth0?.tokenProfile === "auth0" &&
    mcp.trust === "auth0" &&
    clients !== undefined &&
    clients.length > 0
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "allowedClients"],
      message:
        'tokens of the "auth0" token profile carry no client_id claim, so AgentCore would reject every token; set auth0.tokenProfile to "rfc9068" (and switch the Auth0 API to RFC 9068) or remove allowedClients',
    });
  }
  const audiences = stage.mcpServer.allowedAudiences;
  if (audiences !== undefined && audiences.length === 0 && (clients === undefined || clients.length === 0)) {
    ctx.addIssue({
      code: "custom",
      path: ["mcpServer", "allowedAudiences"],
      message:
        "with neither allowed audiences nor allowed clients, AgentCore would accept any token of the tenant",
    });
  }
});

/** Profiles and the runtime's `trust` must name issuers that exist; the primary `auth0` may be left out. */
function issuerIssues(stage: z.output<typeof stageConfigObject>) {
  const issues: { code: "custom"; path: (string | number)[]; message: string }[] = [];
  const names = new Set([...(stage.auth0 ? ["auth0"] : []), ...Object.keys(stage.issuers)]);
  if (stage.auth0 && Object.hasOwn(stage.issuers, "auth0")) {
    issues.push({
      code: "custom",
      path: ["issuers", "auth0"],
      message: 'the name "auth0" is the stage\'s auth0 block; choose another name',
    });
  }
  const known = [...names].join(", ") || "none";
  for (const [name, profile] of Object.entries(stage.broker.profiles)) {
    const issuer = profile.issuer ?? "auth0";
    if (!names.has(issuer)) {
      issues.push({
        code: "custom",
        path: ["broker", "profiles", name, "issuer"],
        message:
          profile.issuer === undefined
            ? `no auth0 block: name this profile's issuer (one of: ${known})`
            : `unknown issuer ${JSON.stringify(issuer)} (issuers: ${known})`,
      });
    }
    const kind = issuer === "auth0" ? "auth0" : stage.issuers[issuer]?.kind;
    if (profile.identity === "caller" && kind !== undefined && kind !== "auth0") {
      issues.push({
        code: "custom",
        path: ["broker", "profiles", name, "identity"],
        message: "per-caller tokens need an Auth0 issuer (the caller-claims Action runs in Auth0)",
      });
    }
  }
  const trust = stage.mcpServer.trust;
  if (stage.mcpServer.mode !== "none" && trust !== "aws-outbound" && !names.has(trust)) {
    issues.push({
      code: "custom",
      path: ["mcpServer", "trust"],
      message: `the runtime's authorizer must trust an issuer that exists: "aws-outbound" or one of ${known}`,
    });
  }
  if (stage.secret.arn !== undefined && stage.auth0 === undefined) {
    issues.push({
      code: "custom",
      path: ["secret"],
      message: "only valid with an auth0 block (each issuer in issuers has its own secret)",
    });
  }
  for (const [name, issuer] of Object.entries(stage.issuers)) {
    const arn = issuer.secret.arn;
    if (arn !== undefined && arn.split(":")[3] !== stage.region) {
      issues.push({
        code: "custom",
        path: ["issuers", name, "secret", "arn"],
        message: `the secret is in ${arn.split(":")[3]} but the stage deploys to ${stage.region}; the broker reads secrets in its own region`,
      });
    }
    if (issuer.secret.kmsKeyArn !== undefined && arn === undefined) {
      issues.push({
        code: "custom",
        path: ["issuers", name, "secret", "kmsKeyArn"],
        message: "only valid with secret.arn",
      });
    }
  }
  return issues;
}

/** What `infra/stages.ts` may contain for one stage (optional fields may be left out). */
export type StageConfigInput = z.input<typeof stageConfigSchema>;
/** A validated stage configuration, defaults applied. */
export type StageConfig = z.output<typeof stageConfigSchema>;

function toIssues(error: z.ZodError, prefix: (string | number)[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: formatIssuePath([...prefix, ...path, key]), message: "unknown key" });
      }
    } else {
      issues.push({ path: formatIssuePath([...prefix, ...path]), message: issue.message });
    }
  }
  return issues;
}

/**
 * Validate one stage's configuration.
 *
 * @param stageName The SST stage (`prod`), used in paths: `stages.prod.auth0.domain`.
 * @param input The raw object from `infra/stages.ts`.
 * @returns the configuration with defaults applied.
 * @throws ConfigError listing every problem with its full path.
 */
export function parseStageConfig(stageName: string, input: unknown): StageConfig {
  const result = stageConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(toIssues(result.error, ["stages", stageName]), {
      subject: `stage configuration (infra/stages.ts)`,
    });
  }
  return result.data;
}

/**
 * Pick and validate the configuration of `stageName` from `stages`.
 *
 * @throws ConfigError when the stage is unknown (naming the known ones) or invalid.
 */
export function selectStage(stages: Readonly<Record<string, unknown>>, stageName: string): StageConfig {
  if (!Object.hasOwn(stages, stageName)) {
    const known = Object.keys(stages).join(", ") || "none";
    throw new ConfigError(
      [
        {
          path: formatIssuePath(["stages", stageName]),
          message: `unknown stage; add it to infra/stages.ts or deploy one of: ${known}`,
        },
      ],
      { subject: "stage configuration (infra/stages.ts)" },
    );
  }
  return parseStageConfig(stageName, stages[stageName]);
}
