// Flag parsers and option groups that several commands share (`run` and `swarm`'s --seed,
// `run` and `validate`'s budget flags), and the exit code of a broken invariant.
import { type Command, InvalidArgumentError } from "commander";
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_MEMORY_MB, parseCount } from "../guards.ts";

/** meshsim/testing's INVARIANT_EXIT_CODE (test/cli/swarm.test.ts holds the two together). */
export const EXIT_INVARIANT = 3;

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`expected a whole number >= 0, got "${text}"`);
  }
  return Number(text);
}

/** --max-events, --max-memory and --force, on `run` and `validate`. */
export function withBudget(command: Command): Command {
  return command
    .option(
      "--max-events <n>",
      "refuse a scenario estimated above this many events (after its maxEvents cap)",
      parseCount,
      DEFAULT_MAX_EVENTS,
    )
    .option(
      "--max-memory <MiB>",
      "refuse a scenario estimated to need more memory than this",
      parseCount,
      DEFAULT_MAX_MEMORY_MB,
    )
    .option("--force", "run even when the estimate is above --max-events or --max-memory");
}
