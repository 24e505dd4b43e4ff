/** Function URL (payload 2.0, IAM auth) events shaped like the ones Lambda delivers. */
import { randomUUID } from "node:crypto";
import type { LocalIdentity } from "@mcp-token/testkit";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";

export function functionUrlEvent(
  identity: LocalIdentity | null,
  init: { method?: string; path: string; body?: string; base64?: boolean; headers?: Record<string, string> },
): LambdaFunctionURLEventWithIAMAuthorizer {
  const [rawPath = "/", rawQueryString = ""] = init.path.split("?");
  const requestId = randomUUID();
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers: { host: "abc123.lambda-url.us-west-2.on.aws", ...init.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.lambda-url.us-west-2.on.aws",
      domainPrefix: "abc123",
      http: {
        method: init.method ?? "GET",
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "test",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: "26/Nov/2026:10:00:00 +0000",
      timeEpoch: Date.now(),
      ...(identity && {
        authorizer: {
          iam: {
            accessKey: identity.accessKeyId,
            accountId: identity.accountId,
            callerId: identity.userId ?? "AIDAEXAMPLE",
            cognitoIdentity: null,
            principalOrgId: "o-example",
            userArn: identity.principalArn,
            userId: identity.userId ?? "AIDAEXAMPLE",
          },
        },
      }),
    },
    isBase64Encoded: init.base64 ?? false,
    ...(init.body !== undefined && {
      body: init.base64 ? Buffer.from(init.body).toString("base64") : init.body,
    }),
  };
  return event as LambdaFunctionURLEventWithIAMAuthorizer;
}
