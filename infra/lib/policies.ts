/**
 * Every IAM policy the deployment creates, as pure functions of resource ARNs, so tests can assert
 * the exact actions, resources and conditions (least privilege is a property of this file).
 *
 * - {@link brokerInvokePolicy}: the managed policy people and agents get (`invokePolicyArn`).
 * - {@link brokerPermissions}: what the broker's own role may do.
 * - {@link crossAccountInvokePermissions}: resource-based grants for principals in other accounts.
 * - {@link agentRuntimeTrustPolicy} / {@link agentRuntimeExecutionPolicy}: the AgentCore execution role.
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
 * the broker function (unqualified ARN: the URL is on `$LATEST`).
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
      },
    ],
  };
}

/**
 * What the broker's role may do besides writing its own logs (SST adds AWSLambdaBasicExecutionRole).
 *
 * @param opts.secretArn The Auth0 client secret: `secretsmanager:GetSecretValue` on it only.
 * @param opts.tableArn The shared cache table: item actions on it only (no scans, no indexes).
 * @param opts.kmsKeyArn A customer-managed key of an existing secret: `kms:Decrypt` on it only, and
 *   only when called by Secrets Manager in `opts.region`.
 */
export function brokerPermissions(opts: {
  secretArn: string;
  tableArn: string;
  region: string;
  kmsKeyArn?: string;
}): FunctionPermission[] {
  const permissions: FunctionPermission[] = [
    { actions: ["secretsmanager:GetSecretValue"], resources: [opts.secretArn] },
    { actions: [...CACHE_TABLE_ITEM_ACTIONS], resources: [opts.tableArn] },
  ];
  if (opts.kmsKeyArn !== undefined) {
    permissions.push({
      actions: ["kms:Decrypt"],
      resources: [opts.kmsKeyArn],
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
 * of this account's runtime of this name (confused-deputy guard).
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
            "aws:SourceArn": `arn:${loc.partition}:bedrock-agentcore:${loc.region}:${loc.accountId}:runtime/${loc.runtimeName}*`,
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
