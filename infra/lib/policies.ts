/**
 * Every IAM policy the deployment creates, as pure functions of resource ARNs, so tests can assert
 * the exact actions, resources and conditions (least privilege is a property of this file).
 *
 * - {@link brokerInvokePolicy}: the managed policy people and agents get (`invokePolicyArn`).
 * - {@link directInvokeGuardStatement}: an SCP / permission-boundary statement for principals that hold
 *   broad `lambda:InvokeFunction` rights (they could otherwise call the broker with a forged event).
 * - {@link secretResourcePolicy} / {@link cacheTableResourcePolicy}: resource policies that fence the
 *   Auth0 secret and the cache table to the broker's role.
 * - {@link brokerPermissions}: what the broker's own role may do.
 * - {@link crossAccountInvokePermissions}: resource-based grants for principals in other accounts.
 * - {@link agentRuntimeTrustPolicy} / {@link agentRuntimeExecutionPolicy}: the AgentCore execution role.
 * - {@link webIdentityTokenPolicy}: STS `GetWebIdentityToken` for AWS-native tokens (`webIdentityTokenPolicyArn`).
 */

/** An IAM condition block: operator → key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** One IAM policy statement, in the JSON shape IAM stores. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: PolicyCondition;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** One entry of `sst.aws.Function` `permissions` (SST turns each into a statement of the role's inline policy). */
export interface FunctionPermission {
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/**
 * DynamoDB item actions the broker's shared cache calls, and no more: `GetItem` (read) and `UpdateItem`
 * (conditional lease, write of the sealed token with lease release).
 */
export const CACHE_TABLE_ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:UpdateItem"] as const;

/**
 * The managed policy that lets a principal call the broker through its IAM Function URL.
 *
 * Since October 2025 a Function URL call needs both `lambda:InvokeFunctionUrl` and
 * `lambda:InvokeFunction`. The URL action is limited to `AWS_IAM` URLs by condition; both are limited to
 * the broker function (unqualified ARN: the URL is on `$LATEST`). `lambda:InvokeFunction` is granted
 * **only via the Function URL** (`lambda:InvokedViaFunctionUrl`): a direct `aws lambda invoke` lets the
 * caller write the whole event, `requestContext.authorizer.iam` included, so it could name any allowed
 * principal and receive its tokens. Nothing inside the event is unforgeable; only this condition is.
 *
 * @param functionArn The broker function's ARN.
 */
export function brokerInvokePolicy(functionArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "InvokeBrokerFunctionUrl",
        Effect: "Allow",
        Action: "lambda:InvokeFunctionUrl",
        Resource: functionArn,
        Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
      },
      {
        Sid: "InvokeBrokerFunction",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: functionArn,
        Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
      },
    ],
  };
}

/**
 * The managed policy for AWS-native tokens: `sts:GetWebIdentityToken` (IAM outbound identity
 * federation) only for the MCP servers' audiences and at most `maxDurationSeconds`, with the condition
 * keys the IAM User Guide documents for it ("Controlling access with IAM policies", outbound identity
 * federation): `sts:IdentityTokenAudience` (multivalued: `ForAllValues`, and `Null: false` so a request
 * naming no audience cannot pass the empty-set case), `sts:DurationSeconds`, `sts:SigningAlgorithm`.
 * No `sts:TagGetWebIdentityToken`: tags become claims the caller chooses, which servers must not trust.
 * The action has no resource: `*`.
 */
export function webIdentityTokenPolicy(opts: {
  audiences: readonly string[];
  maxDurationSeconds: number;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GetWebIdentityTokenForMcpServers",
        Effect: "Allow",
        Action: "sts:GetWebIdentityToken",
        Resource: "*",
        Condition: {
          "ForAllValues:StringEquals": { "sts:IdentityTokenAudience": [...opts.audiences] },
          Null: { "sts:IdentityTokenAudience": "false" },
          NumericLessThanEquals: { "sts:DurationSeconds": String(opts.maxDurationSeconds) },
          StringEquals: { "sts:SigningAlgorithm": ["RS256", "ES384"] },
        },
      },
    ],
  };
}

/**
 * A Deny statement for a service control policy or a permission boundary: no direct invocation of the
 * broker, only through its Function URL. Same-account identity policies need no resource policy, so a
 * principal holding `lambda:InvokeFunction` on `*` (PowerUserAccess, many admin roles) can invoke the
 * broker directly with a forged event; this statement takes that away while leaving Function URL calls
 * (where Lambda sets `lambda:InvokedViaFunctionUrl`) untouched. `BoolIfExists` also matches requests
 * where the key is absent, which is what a direct invoke is.
 */
export function directInvokeGuardStatement(functionArn: string): PolicyStatement {
  return {
    Sid: "DenyDirectInvokeOfMcpTokenBroker",
    Effect: "Deny",
    Action: "lambda:InvokeFunction",
    Resource: [functionArn, `${functionArn}:*`],
    Condition: { BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" } },
  };
}

/** Data-plane DynamoDB actions: everything that reads or writes items of a table. */
export const TABLE_DATA_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PartiQLDelete",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:UpdateItem",
] as const;

/**
 * Resource policy of the Auth0 client secret: `GetSecretValue` is denied to every principal but the
 * broker's role (and an optional break-glass role). An explicit Deny in a resource policy wins over any
 * identity policy, so `secretsmanager:GetSecretValue` on `*` (common in admin and developer roles) no
 * longer reads the secret. `aws:PrincipalArn` of an assumed-role session is its role's ARN, so every
 * session of the broker role matches. Writing the value (`PutSecretValue`, rotation) and managing the
 * secret stay with IAM as before, so operators can still `put-secret-value`; an administrator who must
 * read it replaces this policy, which CloudTrail records.
 */
export function secretResourcePolicy(opts: {
  secretArn: string;
  brokerRoleArn: string;
  breakGlassRoleArn?: string;
}): PolicyDocument {
  const readers = [opts.brokerRoleArn, ...(opts.breakGlassRoleArn ? [opts.breakGlassRoleArn] : [])];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OnlyTheBrokerReadsTheClientSecret",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "secretsmanager:GetSecretValue",
        Resource: "*",
        Condition: {
          ArnNotEquals: { "aws:PrincipalArn": readers.length === 1 ? (readers[0] as string) : readers },
        },
      },
    ],
  };
}

/**
 * Resource policy of the shared cache table: item reads and writes ({@link TABLE_DATA_ACTIONS}) are
 * denied to every principal but the broker's role. Items are sealed with a key derived from the client
 * secret, but the table's times and leases are in clear: any other DynamoDB writer could delete items,
 * hold leases (forcing waits) or replay old items. Table management (describe, TTL, delete) is left to
 * IAM, so `sst remove` and operators keep working.
 */
export function cacheTableResourcePolicy(opts: { tableArn: string; brokerRoleArn: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OnlyTheBrokerTouchesCacheItems",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [...TABLE_DATA_ACTIONS],
        Resource: [opts.tableArn, `${opts.tableArn}/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": opts.brokerRoleArn } },
      },
    ],
  };
}

/**
 * What the broker's role may do besides writing its own logs (SST adds AWSLambdaBasicExecutionRole).
 *
 * @param opts.secretArns The issuers' client secrets: `secretsmanager:GetSecretValue` on exactly these.
 * @param opts.tableArn The shared cache table: item actions on it only (no scans, no indexes).
 * @param opts.kmsKeyArns Customer-managed keys of existing secrets: `kms:Decrypt` on them only, and
 *   only when called by Secrets Manager in `opts.region`.
 * @param opts.configParameterArn The configuration's SSM parameter: `ssm:GetParameter` on it only.
 */
export function brokerPermissions(opts: {
  /** Every issuer's secret: `GetSecretValue` on exactly these. */
  secretArns: readonly string[];
  tableArn: string;
  region: string;
  /** Customer-managed keys of existing secrets. */
  kmsKeyArns?: readonly string[];
  /** The SSM parameter holding the configuration, when it does not fit in the environment. */
  configParameterArn?: string;
}): FunctionPermission[] {
  const permissions: FunctionPermission[] = [
    { actions: ["secretsmanager:GetSecretValue"], resources: [...opts.secretArns] },
    { actions: [...CACHE_TABLE_ITEM_ACTIONS], resources: [opts.tableArn] },
  ];
  if (opts.configParameterArn !== undefined) {
    permissions.push({ actions: ["ssm:GetParameter"], resources: [opts.configParameterArn] });
  }
  if (opts.kmsKeyArns !== undefined && opts.kmsKeyArns.length > 0) {
    permissions.push({
      actions: ["kms:Decrypt"],
      resources: [...opts.kmsKeyArns],
      conditions: [
        {
          test: "StringEquals",
          variable: "kms:ViaService",
          values: [`secretsmanager.${opts.region}.amazonaws.com`],
        },
      ],
    });
  }
  return permissions;
}

/** One resource-based permission on the broker for a principal in another account. */
export interface CrossAccountPermission {
  /** Stable, unique resource name suffix. */
  name: string;
  action: "lambda:InvokeFunctionUrl" | "lambda:InvokeFunction";
  /** Account id or role ARN. */
  principal: string;
  /** Set on the URL action: only `AWS_IAM` URLs. */
  functionUrlAuthType?: "AWS_IAM";
  /** Set on the invoke action: only invocations through the Function URL. */
  invokedViaFunctionUrl?: true;
}

/**
 * Resource-based permissions for callers in other accounts: for each principal, `InvokeFunctionUrl`
 * (IAM URLs only) and `InvokeFunction` (only via the Function URL). The caller's own account must also
 * grant them an identity policy like {@link brokerInvokePolicy}, and the broker's `allow` list must name them.
 *
 * @param principals 12-digit account ids or IAM role ARNs.
 */
export function crossAccountInvokePermissions(principals: readonly string[]): CrossAccountPermission[] {
  return [...new Set(principals)].flatMap((principal, index) => [
    {
      name: `CrossAccountUrl${index}`,
      action: "lambda:InvokeFunctionUrl" as const,
      principal,
      functionUrlAuthType: "AWS_IAM" as const,
    },
    {
      name: `CrossAccountInvoke${index}`,
      action: "lambda:InvokeFunction" as const,
      principal,
      invokedViaFunctionUrl: true as const,
    },
  ]);
}

/** Where an AgentCore runtime lives. */
export interface RuntimeLocation {
  partition: string;
  region: string;
  accountId: string;
  /** The `agentRuntimeName`; AgentCore appends `-<id suffix>` to form the runtime id. */
  runtimeName: string;
}

/**
 * Trust policy of the AgentCore execution role: only `bedrock-agentcore.amazonaws.com`, only on behalf
 * of this account's runtime of this name (confused-deputy guard). AgentCore runtime ids are the name,
 * `-` and exactly 10 letters or digits (AgentCore Control API reference, `agentRuntimeId` pattern
 * `[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}`), and names cannot contain `-`, so `<name>-??????????`
 * matches this runtime and no other runtime whose name merely starts with the same characters
 * (`runtime/<name>*` did). The second pattern admits sub-resources of the runtime (its endpoints).
 */
export function agentRuntimeTrustPolicy(loc: RuntimeLocation): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AgentCoreRuntimeAssumeRole",
        Effect: "Allow",
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": loc.accountId },
          ArnLike: {
            "aws:SourceArn": [
              `arn:${loc.partition}:bedrock-agentcore:${loc.region}:${loc.accountId}:runtime/${loc.runtimeName}-??????????`,
              `arn:${loc.partition}:bedrock-agentcore:${loc.region}:${loc.accountId}:runtime/${loc.runtimeName}-??????????/*`,
            ],
          },
        },
      },
    ],
  };
}

/**
 * Permissions of the AgentCore execution role: pull this one image repository, and write this
 * runtime's logs. Nothing else: the MCP server calls no AWS API, and inbound JWT verification and
 * workload identity tokens are handled by AgentCore itself (its service-linked role). X-Ray and
 * CloudWatch metrics, which AWS's sample role also grants, are left out: the server emits neither.
 *
 * `ecr:GetAuthorizationToken` and `logs:DescribeLogGroups` do not support resource-level permissions.
 */
export function agentRuntimeExecutionPolicy(
  loc: RuntimeLocation & { repositoryArn: string },
): PolicyDocument {
  const logGroup = `arn:${loc.partition}:logs:${loc.region}:${loc.accountId}:log-group:/aws/bedrock-agentcore/runtimes/${loc.runtimeName}-*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: loc.repositoryArn,
      },
      { Sid: "EcrToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "RuntimeLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:DescribeLogStreams"],
        Resource: logGroup,
      },
      {
        Sid: "DescribeLogGroups",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:${loc.partition}:logs:${loc.region}:${loc.accountId}:log-group:*`,
      },
      {
        Sid: "RuntimeLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroup}:log-stream:*`,
      },
    ],
  };
}
