import { addTool } from "./add.js";
import type { ToolModule } from "./types.js";
import { whoamiTool } from "./whoami.js";

/** Every tool the server offers. Adding a tool: one file in this folder, one line here. */
export const tools: readonly ToolModule[] = [addTool, whoamiTool];
