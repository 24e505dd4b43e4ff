/** An access token from the local stack's broker, fetched the way a client does (SigV4-signed POST). */
import { LOCAL, type LocalStack } from "@mcp-token/local";
import { sendSigned, signRequest, TOKEN_REQUEST_BODY } from "./signRequest.js";

/** Returns a fresh access token for the developer identity. Never printed or written anywhere. */
export async function brokerToken(stack: LocalStack): Promise<string> {
  const req = await signRequest({
    url: `${stack.info.broker.url}/v1/token`,
    method: "POST",
    body: TOKEN_REQUEST_BODY,
    identity: stack.identities.developer,
    region: LOCAL.region,
  });
  const { status, json } = await sendSigned(req);
  const token = (json as { access_token?: unknown } | undefined)?.access_token;
  if (status !== 200 || typeof token !== "string")
    throw new Error(`the local broker answered HTTP ${status}`);
  return token;
}
