/** `mcpServer.mode: "none"` (issue 16): the broker alone, in front of an MCP server deployed elsewhere. */
import { describe, expect, it } from "vitest";
import { deployMode } from "./support/deployMode.js";

describe('mcpServer.mode "none"', () => {
  it("creates the broker, secret, table and invoke policy, and no runtime, repository, image or role for it", async () => {
    const { mocks, out, types } = await deployMode({ mode: "none" });
    expect(mocks.functions.map((f) => f.name)).toEqual(["Broker"]);
    expect(types()).toEqual(
      expect.arrayContaining(["aws:secretsmanager/secret:Secret", "aws:dynamodb/table:Table"]),
    );
    expect(types().filter((t) => /bedrock|^aws:ecr\/|docker-build|^aws:iam\/role/.test(t))).toEqual([]);
    expect(await mocks.resolve(out.mcpUrl)).toBeUndefined();
    expect(out.authorizerConfiguration).toBeUndefined();
  });
});
