/**
 * The broker and infra agree on the shared cache table, checked on infra's source files (read, not
 * imported: the broker does not depend on infra): key and TTL attribute names, the environment variable
 * that carries the table name, and IAM actions covering every call the store makes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENV } from "../../src/env.js";
import { SHARED_CACHE_ACTIONS, SHARED_CACHE_TABLE } from "../../src/sharedCache/table.js";

const INFRA = fileURLToPath(new URL("../../../../infra/", import.meta.url));
const read = (file: string) => readFileSync(join(INFRA, file), "utf8");

describe("Contract with infra", () => {
  it("uses the table's key and TTL attribute names", () => {
    const table = read("lib/cacheTable.ts");
    expect(table).toContain(`hashKey: "${SHARED_CACHE_TABLE.hashKey}"`);
    expect(table).toContain(`ttlAttribute: "${SHARED_CACHE_TABLE.ttlAttribute}"`);
    expect(read("cacheTable.ts")).toMatch(/type: "S"/);
  });

  it("reads the table name from the variable infra sets", () => {
    expect(read("lib/brokerConfig.ts")).toContain(`cacheTable: "${ENV.cacheTable}"`);
  });

  it("is granted exactly the DynamoDB actions the store calls", () => {
    const policies = read("lib/policies.ts");
    const granted = /CACHE_TABLE_ITEM_ACTIONS = \[([^\]]*)\]/.exec(policies)?.[1] ?? "";
    const actions = [...granted.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(actions.sort()).toEqual([...SHARED_CACHE_ACTIONS].sort());
  });
});
