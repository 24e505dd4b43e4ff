/** Invalid configuration, reported once at start-up with the full path of every problem. */

/** One configuration problem. */
export interface ConfigIssue {
  /** Where: `profiles.default.allow[2]` (`""` for the document itself). */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
}

/**
 * Thrown by `parseBrokerConfig` (and other config loaders). `message` lists every issue as
 * `path: message`, e.g. `profiles.default.allow[2]: expected an IAM ARN pattern, got "arn:aws:iam::role/x"`.
 */
export class ConfigError extends Error {
  /** Stable code for `switch`/`instanceof`-free checks. */
  readonly code = "ERR_INVALID_CONFIG" as const;
  /** Every problem found (not only the first). */
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], opts?: { cause?: unknown; subject?: string }) {
    const subject = opts?.subject ?? "broker configuration";
    const lines = issues.map((i) => `${i.path || "(root)"}: ${i.message}`);
    super(
      `Invalid ${subject} (${issues.length} issue${issues.length === 1 ? "" : "s"}): ${lines.join("; ")}`,
      opts?.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}
