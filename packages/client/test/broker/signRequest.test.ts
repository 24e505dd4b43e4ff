import { defaultIdentities, verifySigV4 } from "@mcp-token/testkit";
import { describe, expect, it } from "vitest";
import { signRequest } from "../../src/broker/signRequest.js";

const identities = defaultIdentities({ accountId: "123456789012" });
const byKey = new Map(Object.values(identities).map((i) => [i.accessKeyId, i]));

async function signedAndVerified(target: string) {
  const url = new URL(`https://abc.lambda-url.us-west-2.on.aws${target}`);
  const identity = identities.agent;
  const headers = await signRequest(
    { url, method: "GET", headers: { accept: "application/json" } },
    {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken && { sessionToken: identity.sessionToken }),
    },
    "us-west-2",
  );
  const rawHeaders = ["host", url.host, ...Object.entries(headers).flat()];
  // What goes on the wire is the URL's own serialisation (fetch sends `url.pathname + url.search`).
  return verifySigV4(
    { method: "GET", url: `${url.pathname}${url.search}`, rawHeaders, body: Buffer.alloc(0) },
    byKey,
    "us-west-2",
    Date.now(),
  );
}

describe("Function: signRequest", () => {
  it.each([
    "/v1/token?profile=default&scope=invoke+read",
    "/v1/token?scope=a%2Bb&scope=c%20d",
    "/v1/token?profile=default&min_ttl=60",
    "/v1/profiles",
  ])("signs exactly the query it sends (%s), so a strict verifier accepts it", async (target) => {
    expect(await signedAndVerified(target)).toMatchObject({ ok: true });
  });
});
