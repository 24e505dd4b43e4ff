import * as z from "zod";
import type { ToolModule } from "./types.js";

const addend = (what: string) =>
  z
    .number({ error: `'${what}' must be a finite number` })
    .refine(Number.isFinite, { message: `'${what}' must be a finite number` })
    .describe(`The ${what} addend`);

const inputSchema = z.object({ a: addend("first"), b: addend("second") });
const outputSchema = z.object({ sum: z.number() });

/** `add`: the sum of two finite numbers — the seed example. */
export const addTool: ToolModule = {
  name: "add",
  register(server) {
    server.registerTool(
      "add",
      {
        title: "Add two numbers",
        description: "Returns a + b for two finite numbers.",
        inputSchema,
        outputSchema,
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      },
      async ({ a, b }) => {
        const sum = a + b;
        if (!Number.isFinite(sum)) {
          return { isError: true, content: [{ type: "text", text: "The sum is too large to represent." }] };
        }
        return { content: [{ type: "text", text: String(sum) }], structuredContent: { sum } };
      },
    );
  },
};
