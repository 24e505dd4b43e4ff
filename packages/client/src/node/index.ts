// Node.js-only parts of @mcp-token/client (filesystem, OS paths), kept off the root entry so it
// stays runtime-neutral.
export { type AwsIdentityHintOptions, awsIdentityHint } from "./awsIdentityHint.js";
export { defaultCacheDir } from "./cacheDir.js";
export { createDiskCache, type DiskCache, type DiskCacheOptions, MAX_CACHE_FILE_BYTES } from "./diskCache.js";
