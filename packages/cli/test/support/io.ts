import { PassThrough } from "node:stream";
import type { Io } from "../../src/io.js";
import { createLogger, type Logger } from "../../src/output/logger.js";

/** An in-memory Io: what the command wrote, and an env. */
export function memoryIo(env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: {
      write(s: string) {
        stdout += s;
        return true;
      },
    },
    stderr: {
      write(s: string) {
        stderr += s;
        return true;
      },
    },
    stdin: new PassThrough(),
    env,
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** A logger that keeps its lines. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const stream = {
    write(s: string) {
      lines.push(s.trimEnd());
      return true;
    },
  };
  return Object.assign(createLogger({ level: "debug", stream }), { lines });
}
