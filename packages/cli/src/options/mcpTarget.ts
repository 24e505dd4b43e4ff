import { agentCoreMcpUrl } from "@mcp-token/client";
import { isLoopbackHost } from "@mcp-token/core";
import { UsageError } from "../errors.js";

const RUNTIME_ARN = /^arn:aws[a-z-]*:bedrock-agentcore:/;

/** A `proxy`/`doctor` target as given: an MCP endpoint URL or an AgentCore runtime ARN. */
export interface McpTarget {
  target: string;
  qualifier: string | undefined;
}

/** Checks the shape of a target (cheap, before the command loads). */
export function parseMcpTarget(target: string, qualifier: unknown, command: string): McpTarget {
  const q = typeof qualifier === "string" && qualifier !== "" ? qualifier : undefined;
  if (RUNTIME_ARN.test(target)) return { target, qualifier: q };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(
      `<target> must be an MCP endpoint URL or an AgentCore runtime ARN, got ${JSON.stringify(target)}`,
      command,
    );
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new UsageError(
      `<target> must be an https: URL (http: only for loopback), got ${url.protocol}//${url.host}`,
      command,
    );
  }
  if (q !== undefined)
    throw new UsageError("--qualifier only applies to an AgentCore runtime ARN target", command);
  return { target: url.href, qualifier: undefined };
}

/** The endpoint URL of a target: a runtime ARN becomes its AgentCore invocation URL. */
export async function mcpTargetUrl(target: McpTarget): Promise<URL> {
  if (!RUNTIME_ARN.test(target.target)) return new URL(target.target);
  return agentCoreMcpUrl(
    target.target,
    target.qualifier === undefined ? {} : { qualifier: target.qualifier },
  );
}
