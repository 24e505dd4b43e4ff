/**
 * STS speaks the AWS Query protocol: answers are XML in the `https://sts.amazonaws.com/doc/2011-06-15/`
 * namespace, errors an `ErrorResponse` with `Type`, `Code` and `Message` (what the SDK's
 * `AwsQueryProtocol` parses into its exception classes by `Code`).
 */
const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** XML text escaping (element content). */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` for `fields`. */
export function xmlResult(action: string, fields: Record<string, string>, requestId: string): string {
  const inner = Object.entries(fields)
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join("");
  return `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** An STS error answer. */
export interface StsError {
  status: number;
  code: string;
  message: string;
  type?: "Sender" | "Receiver";
}

/** `<ErrorResponse>` for `error`. */
export function xmlError(error: StsError, requestId: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${error.type ?? "Sender"}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
