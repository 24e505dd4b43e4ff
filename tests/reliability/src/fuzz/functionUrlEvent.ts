/**
 * Builds Lambda Function URL events (payload format 2.0, `AWS_IAM` auth) the way the platform delivers
 * them, from the parts the broker fuzz suite varies.
 */
import type { LocalIdentity } from "@mcp-token/testkit";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";

/** The varied parts of one request. */
export interface FunctionUrlEventParts {
  method: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  /** Body as delivered: text, or base64 when `isBase64Encoded`. */
  body?: string;
  isBase64Encoded: boolean;
  /** `null`: no IAM authorizer context at all. */
  identity: LocalIdentity | null;
  /** Replaces `authorizer.iam` with arbitrary JSON (malformed IAM context). */
  rawIam?: unknown;
}

let counter = 0;

/** A Function URL event for `parts`. */
export function functionUrlEvent(parts: FunctionUrlEventParts): LambdaFunctionURLEventWithIAMAuthorizer {
  const requestId = `fuzz-${process.pid}-${++counter}`;
  const iam =
    parts.rawIam !== undefined
      ? parts.rawIam
      : parts.identity && {
          accessKey: parts.identity.accessKeyId,
          accountId: parts.identity.accountId,
          callerId: parts.identity.userId ?? "AIDAEXAMPLE",
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: parts.identity.principalArn,
          userId: parts.identity.userId ?? "AIDAEXAMPLE",
        };
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    headers: { host: "abc123.lambda-url.us-west-2.on.aws", ...parts.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.lambda-url.us-west-2.on.aws",
      domainPrefix: "abc123",
      http: {
        method: parts.method,
        path: parts.rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: parts.headers["user-agent"] ?? "fuzz",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: "26/Nov/2026:10:00:00 +0000",
      timeEpoch: Date.now(),
      ...(iam !== null && iam !== undefined ? { authorizer: { iam } } : {}),
    },
    isBase64Encoded: parts.isBase64Encoded,
    ...(parts.body !== undefined ? { body: parts.body } : {}),
  };
  return event as unknown as LambdaFunctionURLEventWithIAMAuthorizer;
}
