import { createRequire } from "node:module";

/**
 * Loads an AWS SDK client module on first use (the SDK is external to the bundle; Lambda ships it).
 * ESM resolution first (`esmImport`, a literal `import()` so the bundler sees the name); CommonJS
 * resolution of `name` as the fallback, which honours `NODE_PATH`, where the Lambda runtime keeps its
 * SDK.
 */
export async function loadSdk<T>(name: string, esmImport: () => Promise<T>): Promise<T> {
  try {
    return await esmImport();
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    return createRequire(import.meta.url)(name) as T;
  }
}
