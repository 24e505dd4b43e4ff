/**
 * Raw AWS JSON calls to moto_server for the few actions the suites need and the testkit does not wrap
 * (Secrets Manager delete/restore, DynamoDB table creation), without an SDK dependency. moto does not
 * check signatures; the Authorization header only carries the region.
 */

/** Calls `target` (e.g. `secretsmanager.DeleteSecret`) on moto; resolves to the JSON answer, throws on HTTP errors. */
export async function awsJsonCall(
  endpoint: string,
  region: string,
  service: "secretsmanager" | "dynamodb",
  target: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": service === "dynamodb" ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1",
      "x-amz-target": target,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/${day}/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto ${target} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Calls `secretsmanager.<action>` on moto. */
export function secretsManagerCall(
  endpoint: string,
  region: string,
  action: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return awsJsonCall(endpoint, region, "secretsmanager", `secretsmanager.${action}`, body);
}
