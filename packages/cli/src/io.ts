/** Where a command reads and writes, injectable for tests. Commands never touch `process` directly. */
export interface Io {
  /** Results only (a token, a JSON object, JSON-RPC frames). */
  stdout: WritableLike;
  /** Everything for people: logs, warnings, progress. */
  stderr: WritableLike & { isTTY?: boolean };
  /** Protocol input (the `proxy` command). */
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** The part of a writable stream the CLI uses. */
export interface WritableLike {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
}

/** The real process streams and environment. */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
