import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";

/** A Lambda-style handler: `(event, context) => result` (sync or async), by default for Function URL events. */
export type Handler<E = LambdaFunctionURLEventWithIAMAuthorizer> = (event: E, context: Context) => unknown;

/**
 * Import a module (e.g. an esbuild bundle) by file path and return one of its exports as a handler.
 *
 * @param modulePath path to the module, relative to the working directory or absolute.
 * @param exportName export to return; default "handler" (also looked up on a default export).
 */
export async function loadHandler(modulePath: string, exportName = "handler"): Promise<Handler> {
  const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const candidate = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== "function") {
    throw new TypeError(`"${modulePath}" has no function export "${exportName}"`);
  }
  return candidate as Handler;
}
