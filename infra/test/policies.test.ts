import { describe, expect, it } from "vitest";
import {
  agentRuntimeExecutionPolicy,
  agentRuntimeTrustPolicy,
  brokerInvokePolicy,
  brokerPermissions,
  cacheTableResourcePolicy,
  crossAccountInvokePermissions,
  directInvokeGuardStatement,
  secretResourcePolicy,
  TABLE_DATA_ACTIONS,
} from "../lib/policies.js";
import { FUNCTION_ARN, SECRET_ARN, TABLE_ARN } from "./fixtures.js";

const LOCATION = {
  partition: "aws",
  region: "us-west-2",
  accountId: "111122223333",
  runtimeName: "mcp_token_prod_mcp",
};
const REPOSITORY_ARN = "arn:aws:ecr:us-west-2:111122223333:repository/mcp-token-prod-mcp-server";

/** Every action granted anywhere in a document, flattened. */
function actionsOf(doc: { Statement: { Action: string | string[] }[] }): string[] {
  return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe("brokerInvokePolicy", () => {
  it("grants exactly InvokeFunctionUrl (AWS_IAM URLs only) and InvokeFunction on the broker", () => {
    expect(brokerInvokePolicy(FUNCTION_ARN)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "InvokeBrokerFunctionUrl",
          Effect: "Allow",
          Action: "lambda:InvokeFunctionUrl",
          Resource: FUNCTION_ARN,
          Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
        },
        {
          Sid: "InvokeBrokerFunction",
          Effect: "Allow",
          Action: "lambda:InvokeFunction",
          Resource: FUNCTION_ARN,
          Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
        },
      ],
    });
  });

  it("has no wildcard action or resource", () => {
    const doc = brokerInvokePolicy(FUNCTION_ARN);
    expect(actionsOf(doc).some((a) => a.includes("*"))).toBe(false);
    expect(JSON.stringify(doc.Statement.map((s) => s.Resource))).not.toContain("*");
  });
});

describe("brokerPermissions", () => {
  it("reads only its secret and touches only its table's items", () => {
    expect(brokerPermissions({ secretArns: [SECRET_ARN], tableArn: TABLE_ARN, region: "us-west-2" })).toEqual(
      [
        { actions: ["secretsmanager:GetSecretValue"], resources: [SECRET_ARN] },
        {
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [TABLE_ARN],
        },
      ],
    );
  });

  it("adds kms:Decrypt on the secret's key, only via Secrets Manager in the region", () => {
    // Prepare
    const key = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    // Act
    const permissions = brokerPermissions({
      secretArns: [SECRET_ARN],
      tableArn: TABLE_ARN,
      region: "us-west-2",
      kmsKeyArns: [key],
    });

    // Assess
    expect(permissions[2]).toEqual({
      actions: ["kms:Decrypt"],
      resources: [key],
      conditions: [
        {
          test: "StringEquals",
          variable: "kms:ViaService",
          values: ["secretsmanager.us-west-2.amazonaws.com"],
        },
      ],
    });
    expect(permissions).toHaveLength(3);
  });

  it("reads exactly every issuer's secret, and the configuration's parameter when there is one", () => {
    const cognito = "arn:aws:secretsmanager:us-west-2:111122223333:secret:mcp-token/prod/cognito-m2m-AbCdEf";
    const parameter = "arn:aws:ssm:us-west-2:111122223333:parameter/mcp-token/prod/broker-config";
    const permissions = brokerPermissions({
      secretArns: [SECRET_ARN, cognito],
      tableArn: TABLE_ARN,
      region: "us-west-2",
      configParameterArn: parameter,
    });
    expect(permissions[0]).toEqual({
      actions: ["secretsmanager:GetSecretValue"],
      resources: [SECRET_ARN, cognito],
    });
    expect(permissions).toContainEqual({ actions: ["ssm:GetParameter"], resources: [parameter] });
  });
});

describe("crossAccountInvokePermissions", () => {
  it("grants each principal the URL action (AWS_IAM only) and the invoke action (via the URL only)", () => {
    expect(crossAccountInvokePermissions(["444455556666", "arn:aws:iam::777788889999:role/ci"])).toEqual([
      {
        name: "CrossAccountUrl0",
        action: "lambda:InvokeFunctionUrl",
        principal: "444455556666",
        functionUrlAuthType: "AWS_IAM",
      },
      {
        name: "CrossAccountInvoke0",
        action: "lambda:InvokeFunction",
        principal: "444455556666",
        invokedViaFunctionUrl: true,
      },
      {
        name: "CrossAccountUrl1",
        action: "lambda:InvokeFunctionUrl",
        principal: "arn:aws:iam::777788889999:role/ci",
        functionUrlAuthType: "AWS_IAM",
      },
      {
        name: "CrossAccountInvoke1",
        action: "lambda:InvokeFunction",
        principal: "arn:aws:iam::777788889999:role/ci",
        invokedViaFunctionUrl: true,
      },
    ]);
  });

  it("creates nothing without principals, and one pair per duplicate-free principal", () => {
    expect(crossAccountInvokePermissions([])).toEqual([]);
    expect(crossAccountInvokePermissions(["444455556666", "444455556666"])).toHaveLength(2);
  });
});

describe("agentRuntimeTrustPolicy", () => {
  it("trusts only AgentCore, for this account's runtime of this name", () => {
    expect(agentRuntimeTrustPolicy(LOCATION)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AgentCoreRuntimeAssumeRole",
          Effect: "Allow",
          Principal: { Service: "bedrock-agentcore.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "111122223333" },
            ArnLike: {
              "aws:SourceArn": [
                "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/mcp_token_prod_mcp-??????????",
                "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/mcp_token_prod_mcp-??????????/*",
              ],
            },
          },
        },
      ],
    });
  });
});

describe("agentRuntimeExecutionPolicy", () => {
  it("allows pulling this repository's images and writing this runtime's logs, nothing else", () => {
    const logGroup =
      "arn:aws:logs:us-west-2:111122223333:log-group:/aws/bedrock-agentcore/runtimes/mcp_token_prod_mcp-*";
    expect(agentRuntimeExecutionPolicy({ ...LOCATION, repositoryArn: REPOSITORY_ARN })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PullImage",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Resource: REPOSITORY_ARN,
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
          Resource: "arn:aws:logs:us-west-2:111122223333:log-group:*",
        },
        {
          Sid: "RuntimeLogStreams",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroup}:log-stream:*`,
        },
      ],
    });
  });

  it("uses a * resource only for the two actions that support no resource-level permission", () => {
    const doc = agentRuntimeExecutionPolicy({ ...LOCATION, repositoryArn: REPOSITORY_ARN });
    const starred = doc.Statement.filter(
      (s) => s.Resource === "*" || String(s.Resource).endsWith(":log-group:*"),
    );
    expect(starred.map((s) => s.Action)).toEqual(["ecr:GetAuthorizationToken", "logs:DescribeLogGroups"]);
  });

  it("grants no bedrock, secrets, lambda, iam or wildcard actions", () => {
    const actions = actionsOf(agentRuntimeExecutionPolicy({ ...LOCATION, repositoryArn: REPOSITORY_ARN }));
    expect(actions.filter((a) => !/^(ecr|logs):[A-Za-z]+$/.test(a))).toEqual([]);
  });
});

describe("trust model (issue 14)", () => {
  const BROKER_ROLE = "arn:aws:iam::111122223333:role/mcp-token-prod-BrokerRole-abc";

  it("never grants lambda:InvokeFunction without lambda:InvokedViaFunctionUrl = true", () => {
    const invokeStatements = brokerInvokePolicy(FUNCTION_ARN).Statement.filter((s) =>
      [s.Action].flat().includes("lambda:InvokeFunction"),
    );
    expect(invokeStatements).toHaveLength(1);
    for (const s of invokeStatements) {
      expect(s.Condition).toEqual({ Bool: { "lambda:InvokedViaFunctionUrl": "true" } });
    }
    for (const p of crossAccountInvokePermissions(["444455556666", "arn:aws:iam::444455556666:role/r"])) {
      if (p.action === "lambda:InvokeFunction") expect(p.invokedViaFunctionUrl).toBe(true);
    }
  });

  it("gives a ready SCP / permission-boundary statement denying direct invocation of the broker", () => {
    expect(directInvokeGuardStatement(FUNCTION_ARN)).toEqual({
      Sid: "DenyDirectInvokeOfMcpTokenBroker",
      Effect: "Deny",
      Action: "lambda:InvokeFunction",
      Resource: [FUNCTION_ARN, `${FUNCTION_ARN}:*`],
      Condition: { BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" } },
    });
  });

  it("fences the secret: GetSecretValue denied to all but the broker role (and the break-glass role)", () => {
    expect(secretResourcePolicy({ secretArn: SECRET_ARN, brokerRoleArn: BROKER_ROLE })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OnlyTheBrokerReadsTheClientSecret",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
          Condition: { ArnNotEquals: { "aws:PrincipalArn": BROKER_ROLE } },
        },
      ],
    });
    const withBreakGlass = secretResourcePolicy({
      secretArn: SECRET_ARN,
      brokerRoleArn: BROKER_ROLE,
      breakGlassRoleArn: "arn:aws:iam::111122223333:role/BreakGlass",
    });
    expect(withBreakGlass.Statement[0]?.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [BROKER_ROLE, "arn:aws:iam::111122223333:role/BreakGlass"] },
    });
    // Writing the value stays possible for operators (put-secret-value in docs/DEPLOY.md).
    expect(JSON.stringify(withBreakGlass)).not.toMatch(/PutSecretValue|secretsmanager:\*/);
  });

  it("fences the cache table: every item read and write denied to all but the broker role", () => {
    const doc = cacheTableResourcePolicy({ tableArn: TABLE_ARN, brokerRoleArn: BROKER_ROLE });
    expect(doc.Statement).toEqual([
      {
        Sid: "OnlyTheBrokerTouchesCacheItems",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [...TABLE_DATA_ACTIONS],
        Resource: [TABLE_ARN, `${TABLE_ARN}/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BROKER_ROLE } },
      },
    ]);
    for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Scan"]) {
      expect(TABLE_DATA_ACTIONS).toContain(action);
    }
    // Table management stays with IAM (sst remove, operators).
    expect(TABLE_DATA_ACTIONS).not.toContain("dynamodb:DeleteTable");
  });
});
