/**
 * Exit codes (documented in `mcp-token --help`):
 * 0 success; 1 operational failure (broker unreachable, upstream error, a failed doctor check, an
 * internal error); 2 usage error; 3 no usable AWS credentials; 4 the broker (or, with --source sts,
 * STS) refused access.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  credentials: 3,
  denied: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A wrong invocation: bad flag, missing argument, bad value. Exits 2 with the command's usage hint. */
export class UsageError extends Error {
  readonly code = "ERR_USAGE" as const;
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** Ends the process with `exitCode` after the command already reported why (on stderr or stdout). */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
  }
}
