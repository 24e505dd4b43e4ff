const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.([a-z]{2}(?:-[a-z]+)+-\d+)\.on\.aws$/;

/**
 * The AWS region of a Lambda Function URL, parsed from its host
 * (`<url-id>.lambda-url.<region>.on.aws`), or `undefined` for any other host.
 *
 * @example
 * ```ts
 * regionFromFunctionUrl("https://abc123.lambda-url.us-west-2.on.aws/"); // "us-west-2"
 * ```
 */
export function regionFromFunctionUrl(url: string | URL): string | undefined {
  const host = (typeof url === "string" ? safeUrl(url)?.hostname : url.hostname)?.toLowerCase();
  if (!host) return undefined;
  return FUNCTION_URL_HOST.exec(host)?.[1];
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
