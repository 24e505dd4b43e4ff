import { describe, expect, it } from "vitest";
import { Scope } from "../../src/lib/scope.js";

describe("Scope", () => {
  it("closes in reverse order and keeps going when a closer fails", async () => {
    // Prepare
    const order: string[] = [];
    const scope = new Scope();
    scope.defer(() => void order.push("first"));
    scope.defer(() => {
      throw new Error("boom");
    });
    scope.defer(async () => void order.push("last"));
    // Act
    await scope.close();
    await scope.close();
    // Assess
    expect(order).toEqual(["last", "first"]);
  });

  it("runs a closer registered after closing right away", async () => {
    const scope = new Scope();
    await scope.close();
    let closed = false;
    scope.defer(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(true);
  });
});
