import { defaultIdentities, verifySigV4 } from "@mcp-token/testkit";
import { describe, expect, it } from "vitest";
import { signRequest } from "../../src/broker/signRequest.js";

const identities = defaultIdentities({ accountId: "123456789012" });
const byKey = new Map(Object.values(identities).map((i) => [i.accessKeyId, i]));

async function signedAndVerified(target: string) {
  const url = new URL(`https://abc.lambda-url.us-west-2.on.aws${target}`);
  const identity = identities.agent;
  const { url: sent, headers } = await signRequest(
    { url, method: "GET", headers: { accept: "application/json" } },
    {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken && { sessionToken: identity.sessionToken }),
    },
    "us-west-2",
  );
  const rawHeaders = ["host", url.host, ...Object.entries(headers).flat()];
  expect(sent.search).not.toContain("+");
  // What goes on the wire is the returned URL's serialisation (fetch sends `pathname + search`).
  return verifySigV4(
    { method: "GET", url: `${sent.pathname}${sent.search}`, rawHeaders, body: Buffer.alloc(0) },
    byKey,
    "us-west-2",
    Date.now(),
  );
}

describe("Function: signRequest", () => {
  it("sends a query the broker reads as meant: '+' is a space, '%2B' a plus, never a raw '+' on the wire", async () => {
    const url = new URL("https://abc.lambda-url.us-west-2.on.aws/v1/token?scope=invoke+read&x=a%2Bb");
    const identity = identities.agent;
    const { url: sent } = await signRequest({ url, method: "GET", headers: {} }, identity, "us-west-2");
    expect(sent.search).toBe("?scope=invoke%20read&x=a%2Bb");
    expect(new URLSearchParams(sent.search).get("scope")).toBe("invoke read");
  });

  it.each([
    "/v1/token?profile=default&scope=invoke+read",
    "/v1/token?scope=a%2Bb&scope=c%20d",
    "/v1/token?profile=default&min_ttl=60",
    "/v1/profiles",
  ])("signs exactly the query it sends (%s), so a strict verifier accepts it", async (target) => {
    expect(await signedAndVerified(target)).toMatchObject({ ok: true });
  });
});
