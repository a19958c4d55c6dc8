// Property tests for CI, in vitest or jest: `check(property, { seeds, timeBudget })` runs a
// fast-check property on that many random cases, and when one fails, throws an error with the
// shrunk counterexample, the seed and the path that replay exactly that case, and (when a run
// broke an invariant) the violation and its trail. `assertNoViolation` is the body of such a
// property: one checked run, which throws a ViolationError on its first broken invariant.
import fc from "fast-check";
import { parseDuration } from "../kernel/duration.ts";
import type { Scenario } from "../scenario/types.ts";
import { type CheckedRunOptions, runChecked } from "./checkedRun.ts";
import { ViolationError } from "./format.ts";

export interface CheckOptions {
  /** Random cases to try (fast-check numRuns; default 100). */
  seeds?: number;
  /** The seed of the first case; printed on failure, so a failure replays with it. */
  seed?: number;
  /** With `seed`: replay exactly the failing (shrunk) case fast-check printed. */
  path?: string;
  /** Stop trying new cases after this much wall-clock time ("10m", or ms), passing if none failed. */
  timeBudget?: string | number;
}

/** Runs `property` and throws on a counterexample, saying how to replay it. */
export function check<T>(
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  options: CheckOptions = {},
): void | Promise<void> {
  const seeds = options.seeds ?? 100;
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new RangeError(`seeds must be a whole number >= 1, found ${seeds}`);
  const budget =
    options.timeBudget === undefined
      ? undefined
      : typeof options.timeBudget === "number"
        ? options.timeBudget
        : parseDuration(options.timeBudget);
  const parameters: fc.Parameters<T> = {
    numRuns: seeds,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(budget === undefined ? {} : { interruptAfterTimeLimit: budget }),
  };
  if (property.isAsync()) {
    return fc.check(property as fc.IAsyncProperty<T>, parameters).then(report);
  }
  report(fc.check(property as fc.IProperty<T>, parameters) as fc.RunDetails<T>);
}

function report<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const error = details.errorInstance;
  const cause = error instanceof Error ? error.message : String(error);
  const counterexample =
    details.counterexample === null ? "" : fc.stringify(details.counterexample);
  throw new Error(
    [
      `property failed after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s)`,
      cause,
      `counterexample: ${counterexample}`,
      `replay: check(property, { seed: ${details.seed}, path: "${details.counterexamplePath}" })`,
    ].join("\n"),
    { cause: error },
  );
}

/** One checked run of `scenario` (every built-in checker by default); throws ViolationError on the first broken invariant. */
export function assertNoViolation(scenario: Scenario, options: CheckedRunOptions = {}): void {
  const { violation } = runChecked(scenario, options);
  if (violation !== null) throw new ViolationError(violation);
}
