import { invalidArgument } from "../errors/invalidArgument.js";

const RUNTIME_ARN =
  /^arn:(aws[a-z-]*):bedrock-agentcore:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):runtime\/[A-Za-z0-9_-]{1,100}$/;

/** Options of {@link agentCoreMcpUrl}. */
export interface AgentCoreMcpUrlOptions {
  /** Region of the invocation endpoint. Default: the ARN's region. */
  region?: string;
  /** Runtime endpoint qualifier. Default: `"DEFAULT"`. */
  qualifier?: string;
}

/** `true` when `value` looks like an AgentCore runtime ARN. */
export function isAgentCoreRuntimeArn(value: string): boolean {
  return RUNTIME_ARN.test(value);
}

/**
 * The MCP invocation URL of an Amazon Bedrock AgentCore runtime:
 * `https://bedrock-agentcore.<region>.amazonaws.com/runtimes/<url-encoded ARN>/invocations?qualifier=DEFAULT`.
 *
 * @example
 * ```ts
 * agentCoreMcpUrl("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/mcp_server-AbC123");
 * ```
 */
export function agentCoreMcpUrl(runtimeArn: string, options: AgentCoreMcpUrlOptions = {}): URL {
  const match = typeof runtimeArn === "string" ? RUNTIME_ARN.exec(runtimeArn) : null;
  if (!match) {
    throw invalidArgument(
      `"runtimeArn" must be an AgentCore runtime ARN (arn:aws:bedrock-agentcore:<region>:<account>:runtime/<id>), got ${JSON.stringify(runtimeArn)}`,
    );
  }
  const partition = match[1] as string;
  const region = options.region ?? (match[2] as string);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw invalidArgument(`"region" must be an AWS region such as us-west-2, got ${JSON.stringify(region)}`);
  }
  const qualifier = options.qualifier ?? "DEFAULT";
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(qualifier)) {
    throw invalidArgument(
      `"qualifier" must be an endpoint name (letters, digits, _ -), got ${JSON.stringify(qualifier)}`,
    );
  }
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(`https://bedrock-agentcore.${region}.${domain}/`);
  url.pathname = `/runtimes/${encodeURIComponent(runtimeArn)}/invocations`;
  url.searchParams.set("qualifier", qualifier);
  return url;
}
