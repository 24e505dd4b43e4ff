/**
 * Raw AWS JSON 1.1 calls to moto_server for the few Secrets Manager actions the testkit does not wrap
 * (delete, restore). moto does not check signatures; the Authorization header only carries the region.
 */

/** Calls `secretsmanager.<action>` on moto and returns the parsed JSON answer; throws on HTTP errors. */
export async function secretsManagerCall(
  endpoint: string,
  region: string,
  action: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `secretsmanager.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/${day}/${region}/secretsmanager/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto ${action} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
