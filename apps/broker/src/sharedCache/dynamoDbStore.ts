/**
 * The shared token store on DynamoDB (`GetItem` strongly consistent, `UpdateItem` for the lease and
 * the token). The AWS SDK is loaded with a dynamic `import()` on the first call, like the Secrets
 * Manager client, so importing the handler stays fast; the bundle leaves it to the Lambda runtime.
 *
 * Every call is bounded by `timeoutMs` (an `AbortSignal` handed to the SDK, the SDK's own connection
 * and request timeouts, and a timer of our own in case a layer ignores the signal), so a hanging table
 * costs at most that long before the tier falls back. Loading the SDK is not part of that bound: it is
 * local work, and counting it would make every cold start fall back.
 *
 * Items are parsed defensively: sizes and types are checked, and an item whose token attributes have the
 * wrong shape comes back as `malformed` (a miss for the tier), never as an exception.
 */

import { loadSdk } from "../aws/loadSdk.js";
import { DEFAULT_SHARED_CACHE_SETTINGS } from "../env.js";
import { IV_BYTES, MAX_CIPHERTEXT_BYTES, TAG_BYTES } from "./crypto.js";
import {
  MAX_LEASE_MS,
  type SealedTokenItem,
  SharedStoreError,
  type SharedTokenRecord,
  type SharedTokenStore,
  type StoredLease,
} from "./store.js";
import { SHARED_CACHE_ATTRIBUTES as A, SHARED_CACHE_TABLE } from "./table.js";

/** The part of `DynamoDBClient` the store uses (inject a fake in tests). */
export interface DynamoDbLike {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Options for {@link createDynamoDbTokenStore}. */
export interface DynamoDbTokenStoreOptions {
  /** Table name (env `MCP_TOKEN_CACHE_TABLE`). */
  tableName: string;
  /** Bound on each DynamoDB call, milliseconds. Default 1000. */
  timeoutMs?: number;
  /**
   * `DynamoDBClient` configuration (region, endpoint, credentials). Default: the SDK's own resolution
   * (`AWS_REGION`, `AWS_ENDPOINT_URL`, the credential chain) with two attempts and connection/request
   * timeouts no longer than `timeoutMs`.
   */
  clientConfig?: Record<string, unknown>;
  /** A ready client; when set, `clientConfig` is ignored (the SDK is still loaded for its commands). */
  client?: DynamoDbLike;
}

/** Default bound on each DynamoDB call, milliseconds. */
export const DEFAULT_STORE_TIMEOUT_MS = DEFAULT_SHARED_CACHE_SETTINGS.timeoutMs;

type SdkModule = typeof import("@aws-sdk/client-dynamodb");
type AttributeValue = { S?: string; N?: string; B?: Uint8Array };
type Item = Record<string, AttributeValue>;

const THROTTLED = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
]);
const DENIED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
]);

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

function classify(operation: string, tableName: string, error: unknown): SharedStoreError {
  const name = (error as { name?: string })?.name ?? "Error";
  const where = `DynamoDB ${operation} on table ${tableName}`;
  if (error instanceof StoreTimeout || name === "AbortError" || name === "TimeoutError") {
    return new SharedStoreError("timeout", `${where} timed out (${name})`, { cause: error });
  }
  if (THROTTLED.has(name)) return new SharedStoreError("throttled", `${where} was throttled (${name})`);
  if (DENIED.has(name)) {
    return new SharedStoreError("access_denied", `${where} was denied (${name})`, { cause: error });
  }
  if (name === "ResourceNotFoundException") {
    return new SharedStoreError("not_found", `${where} failed: the table does not exist (${name})`);
  }
  return new SharedStoreError("unavailable", `${where} failed (${name})`, { cause: error });
}

const isConditionFailure = (error: unknown) =>
  (error as { name?: string })?.name === "ConditionalCheckFailedException";

function num(value: AttributeValue | undefined): number | undefined {
  if (value?.N === undefined || value.N.length > 20) return undefined;
  const n = Number(value.N);
  return Number.isSafeInteger(n) ? n : undefined;
}

function bytes(value: AttributeValue | undefined): Uint8Array | undefined {
  return value?.B instanceof Uint8Array ? value.B : undefined;
}

/** Parses a raw item; never throws. Exported for tests. */
export function parseStoredItem(itemKey: string, item: Item): SharedTokenRecord {
  const record: SharedTokenRecord = {};
  const owner = item[A.leaseOwner]?.S;
  const until = num(item[A.leaseUntil]);
  if (owner !== undefined && owner.length <= 128 && until !== undefined) {
    record.lease = { owner, until } satisfies StoredLease;
  }
  const tokenAttributes = [A.version, A.iv, A.ciphertext, A.issuedAt, A.expiresAt];
  if (!tokenAttributes.some((name) => item[name] !== undefined)) return record;
  const version = num(item[A.version]);
  const iv = bytes(item[A.iv]);
  const ciphertext = bytes(item[A.ciphertext]);
  const issuedAt = num(item[A.issuedAt]);
  const expiresAt = num(item[A.expiresAt]);
  if (version === undefined) record.malformed = `"${A.version}" is not an integer`;
  else if (iv === undefined || iv.byteLength !== IV_BYTES)
    record.malformed = `"${A.iv}" is not ${IV_BYTES} bytes`;
  else if (
    ciphertext === undefined ||
    ciphertext.byteLength <= TAG_BYTES ||
    ciphertext.byteLength > MAX_CIPHERTEXT_BYTES
  ) {
    record.malformed = `"${A.ciphertext}" is not ${TAG_BYTES + 1}..${MAX_CIPHERTEXT_BYTES} bytes`;
  } else if (issuedAt === undefined || expiresAt === undefined || issuedAt < 0 || expiresAt < issuedAt) {
    record.malformed = `"${A.issuedAt}"/"${A.expiresAt}" are not ordered epoch milliseconds`;
  } else {
    record.token = { itemKey, version, iv, ciphertext, issuedAt, expiresAt } satisfies SealedTokenItem;
  }
  return record;
}

/**
 * Creates the DynamoDB-backed {@link SharedTokenStore}.
 *
 * @example
 * const store = createDynamoDbTokenStore({ tableName: process.env.MCP_TOKEN_CACHE_TABLE!, timeoutMs: 1000 });
 */
export function createDynamoDbTokenStore(opts: DynamoDbTokenStoreOptions): SharedTokenStore {
  const { tableName } = opts;
  if (typeof tableName !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new TypeError('"tableName" must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new TypeError('"timeoutMs" must be a positive integer');

  let loaded: Promise<{ sdk: SdkModule; client: DynamoDbLike }> | undefined;
  const load = () => {
    loaded ??= (async () => {
      const sdk = await loadSdk<SdkModule>(
        "@aws-sdk/client-dynamodb",
        () => import("@aws-sdk/client-dynamodb"),
      );
      if (opts.client) return { sdk, client: opts.client };
      const client = new sdk.DynamoDBClient({
        maxAttempts: 2,
        requestHandler: { connectionTimeout: Math.min(timeoutMs, 1000), requestTimeout: timeoutMs },
        ...opts.clientConfig,
      });
      return { sdk, client: client as unknown as DynamoDbLike };
    })().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };

  /** Sends one command, bounded by `timeoutMs`; failures become {@link SharedStoreError}s. */
  async function send<T>(
    operation: string,
    build: (sdk: SdkModule) => unknown,
    onError?: (error: unknown) => T | undefined,
  ): Promise<T> {
    let sdk: SdkModule;
    let client: DynamoDbLike;
    try {
      ({ sdk, client } = await load());
    } catch (error) {
      throw new SharedStoreError("unavailable", `the DynamoDB client could not be loaded`, { cause: error });
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StoreTimeout(timeoutMs));
      }, timeoutMs);
    });
    const sent = client.send(build(sdk), { abortSignal: controller.signal });
    sent.catch(() => undefined);
    try {
      return (await Promise.race([sent, timeout])) as T;
    } catch (error) {
      const handled = onError?.(error);
      if (handled !== undefined) return handled;
      throw classify(operation, tableName, error);
    } finally {
      clearTimeout(timer);
    }
  }

  const key = (itemKey: string) => ({ [SHARED_CACHE_TABLE.hashKey]: { S: itemKey } });

  return {
    async read(itemKey) {
      const out = await send<{ Item?: Item }>("GetItem", (sdk) => {
        return new sdk.GetItemCommand({ TableName: tableName, Key: key(itemKey), ConsistentRead: true });
      });
      return out.Item ? parseStoredItem(itemKey, out.Item) : undefined;
    },

    async acquireLease(itemKey, owner, nowMs, untilMs, leaseOpts = {}) {
      const free =
        "(attribute_not_exists(#lu) OR NOT attribute_type(#lu, :n) OR #lu < :now OR #lu > :corrupt)";
      const seen = leaseOpts.seen;
      const unchanged =
        seen === undefined ? "" : seen === null ? " AND attribute_not_exists(#iv)" : " AND #iv = :seen";
      const out = await send<unknown>(
        "UpdateItem",
        (sdk) =>
          new sdk.UpdateItemCommand({
            TableName: tableName,
            Key: key(itemKey),
            UpdateExpression: "SET #lo = :owner, #lu = :until, #ttl = if_not_exists(#ttl, :ttl)",
            ConditionExpression: `${free}${unchanged}`,
            ExpressionAttributeNames: {
              "#lo": A.leaseOwner,
              "#lu": A.leaseUntil,
              "#ttl": SHARED_CACHE_TABLE.ttlAttribute,
              ...(seen !== undefined && { "#iv": A.iv }),
            },
            ExpressionAttributeValues: {
              ":owner": { S: owner },
              ":until": { N: String(untilMs) },
              ":ttl": { N: String(Math.ceil(untilMs / 1000)) },
              ":now": { N: String(nowMs) },
              ":corrupt": { N: String(nowMs + MAX_LEASE_MS) },
              ":n": { S: "N" },
              ...(seen && { ":seen": { B: seen } }),
            },
          }),
        (error) => (isConditionFailure(error) ? false : undefined),
      );
      return out !== false;
    },

    async releaseLease(itemKey, owner) {
      await send<unknown>(
        "UpdateItem",
        (sdk) =>
          new sdk.UpdateItemCommand({
            TableName: tableName,
            Key: key(itemKey),
            UpdateExpression: "REMOVE #lo, #lu",
            ConditionExpression: "#lo = :owner",
            ExpressionAttributeNames: { "#lo": A.leaseOwner, "#lu": A.leaseUntil },
            ExpressionAttributeValues: { ":owner": { S: owner } },
          }),
        (error) => (isConditionFailure(error) ? null : undefined),
      );
    },

    async write(item, writeOpts = {}) {
      await send<unknown>("UpdateItem", (sdk) => {
        const set = "SET #v = :v, #iv = :iv, #ct = :ct, #ia = :ia, #ea = :ea, #ttl = :ttl";
        const names: Record<string, string> = {
          "#v": A.version,
          "#iv": A.iv,
          "#ct": A.ciphertext,
          "#ia": A.issuedAt,
          "#ea": A.expiresAt,
          "#ttl": SHARED_CACHE_TABLE.ttlAttribute,
        };
        if (writeOpts.releaseLease) {
          names["#lo"] = A.leaseOwner;
          names["#lu"] = A.leaseUntil;
        }
        return new sdk.UpdateItemCommand({
          TableName: tableName,
          Key: key(item.itemKey),
          UpdateExpression: writeOpts.releaseLease ? `${set} REMOVE #lo, #lu` : set,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ":v": { N: String(item.version) },
            ":iv": { B: item.iv },
            ":ct": { B: item.ciphertext },
            ":ia": { N: String(item.issuedAt) },
            ":ea": { N: String(item.expiresAt) },
            ":ttl": { N: String(Math.ceil(item.expiresAt / 1000)) },
          },
        });
      });
    },
  };
}
