/**
 * fast-check parameters shared by the fuzz suites: a fixed seed (override with
 * RELIABILITY_FUZZ_SEED), the number of runs, and a reporter that keeps failure reports short (fuzz
 * inputs can be megabytes long) while still naming the seed and path that reproduce the case.
 */
import fc from "fast-check";

/** Default seed; the figures in docs/RELIABILITY.md were produced with it. */
export const DEFAULT_SEED = 20261126;

/** The seed of this run. */
export function fuzzSeed(): number {
  return Number(process.env.RELIABILITY_FUZZ_SEED ?? DEFAULT_SEED);
}

function short(value: unknown): string {
  let text: string;
  try {
    text = fc.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 1500 ? `${text.slice(0, 1500)}… (${text.length} characters)` : text;
}

/** fast-check parameters for `numRuns` cases. */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns,
    seed: fuzzSeed(),
    endOnFailure: true,
    reporter: (details) => {
      if (!details.failed) return;
      const cause =
        details.errorInstance instanceof Error
          ? details.errorInstance.message
          : String(details.errorInstance);
      throw new Error(
        `property failed after ${details.numRuns} cases (seed ${details.seed}, path "${details.counterexamplePath}"): ${cause.slice(0, 500)}\ncounterexample: ${short(details.counterexample)}`,
      );
    },
  };
}
