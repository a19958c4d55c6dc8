// The flags sweep and compare share (seeds, precision, workers, outputs, budgets), --vary's PATH=VALUES,
// the progress line of an experiment's runs, and exit code 4 when a point missed its precision.
import { type Command, InvalidArgumentError } from "commander";
import type { ExperimentProgress } from "../experiment/engine.ts";
import type { Axis } from "../experiment/grid.ts";
import type { ExperimentOptions } from "../experiment/plan.ts";
import type { CapacityResult } from "../result/capacity.ts";
import type { PrecisionOutcome } from "../result/experiment.ts";
import { type PathSegment, parseOverridePath } from "../scenario/path.ts";
import { parseSweepValues } from "../scenario/sweepValues.ts";
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_MEMORY_MB, parseCount } from "./guards.ts";
import type { ProgressSnapshot } from "./progress.ts";

export const EXIT_OK = 0;
/** Some point of an experiment did not reach the precision asked for. */
export const EXIT_IMPRECISE = 4;
/** capacity: no point (or rate) in the ranges meets the thresholds, as k6 exits on failed thresholds. */
export const EXIT_NONE_MEETS = 99;

export interface ExperimentFlags {
  seed?: number;
  seeds?: number;
  precision?: number;
  minSeeds?: number;
  maxSeeds?: number;
  workers?: number;
  out?: string;
  json?: boolean;
  progress: boolean;
  maxEvents: number;
  maxMemory: number;
  force?: boolean;
}

export function whole(min: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text)))
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got "${text}"`);
    return Number(text);
  };
}

export function fraction(text: string): number {
  const value = Number(text);
  if (!/^\s*[0-9.eE+-]+\s*$/.test(text) || !(value > 0 && value < 1))
    throw new InvalidArgumentError(
      `expected a relative half-width between 0 and 1 (0.05 is 5%), got "${text}"`,
    );
  return value;
}

/** Adds the shared flags to an experiment command. */
export function experimentOptions(command: Command, seedsHelp: string, outHelp: string): Command {
  return command
    .option("--seed <n>", "the first seed (default: the file's)", whole(0))
    .option("--seeds <k>", seedsHelp, whole(1))
    .option(
      "--precision <r>",
      "add seeds in waves until every load's mean and p99 latency have a 95% half-width within r of their value (e.g. 0.05); exit 4 if a point does not get there",
      fraction,
    )
    .option(
      "--min-seeds <n>",
      "with --precision: seeds before the rule may stop (default 5)",
      whole(2),
    )
    .option("--max-seeds <n>", "with --precision: the most seeds per point (default 50)", whole(2))
    .option("--workers <n>", "worker threads (default: the machine's cores)", whole(1))
    .option("--out <dir>", `write ${outHelp} into this folder (a re-run skips the runs there)`)
    .option("--json", "print the result as JSON on stdout and nothing else")
    .option("--no-progress", "no progress bar (or progress lines) on stderr")
    .option(
      "--max-events <n>",
      "refuse the experiment if one run of some point is estimated above this many events (after its maxEvents cap)",
      parseCount,
      DEFAULT_MAX_EVENTS,
    )
    .option(
      "--max-memory <MiB>",
      "refuse the experiment if one run of some point is estimated to need more memory than this",
      parseCount,
      DEFAULT_MAX_MEMORY_MB,
    )
    .option("--force", "run even when some point is estimated above --max-events or --max-memory")
    .addHelpText(
      "after",
      "\nExit codes: 0 done; 4 some point did not reach --precision within --max-seeds; 2 bad input (scenario, --vary or flags); 1 internal error (a run that threw, named with its point and seed).",
    );
}

export function experimentFlags(flags: ExperimentFlags): ExperimentOptions {
  return {
    seed: flags.seed,
    seeds: flags.seeds,
    precision: flags.precision,
    minSeeds: flags.minSeeds,
    maxSeeds: flags.maxSeeds,
    workers: flags.workers,
    out: flags.out,
    budget:
      flags.force === true ? undefined : { events: flags.maxEvents, memoryMB: flags.maxMemory },
  };
}

/** `--vary PATH=VALUES`, collected in order. */
export function parseVary(text: string, previous: Axis[]): Axis[] {
  const at = text.indexOf("=");
  const path = at <= 0 ? null : parseOverridePath(text.slice(0, at));
  if (path === null)
    throw new InvalidArgumentError(
      `expected PATH=VALUES, e.g. services.payment.instances=2..8, got "${text}"`,
    );
  try {
    return [...previous, { path, values: parseSweepValues(text.slice(at + 1)) }];
  } catch (error) {
    throw new InvalidArgumentError(`${text.slice(0, at)}: ${(error as Error).message}`);
  }
}

/** A queue coordinator's progress adds the runs each worker has done so far. */
export type CoordinatorProgress = ExperimentProgress & { perWorker?: ReadonlyMap<string, number> };

/** The most workers named on the progress line; the others are counted. */
const NAMED_WORKERS = 4;

function workersLabel(perWorker: ReadonlyMap<string, number> | undefined): string {
  if (perWorker === undefined || perWorker.size === 0) return "";
  const named = [...perWorker].slice(0, NAMED_WORKERS).map(([w, n]) => `${w} ${n}`);
  const more = perWorker.size > NAMED_WORKERS ? `, +${perWorker.size - NAMED_WORKERS} more` : "";
  return ` (${perWorker.size} worker${perWorker.size === 1 ? "" : "s"}: ${named.join(", ")}${more})`;
}

export function experimentProgress(p: CoordinatorProgress): ProgressSnapshot {
  return {
    label: `runs ${p.done}/${p.total}${workersLabel(p.perWorker)}`,
    fraction: p.fraction,
    nowMs: p.simulatedMs,
    durationMs: p.plannedSimulatedMs,
    events: p.events,
  };
}

export function precisionExitCode(outcomes: readonly (PrecisionOutcome | null)[]): number {
  return outcomes.some((o) => o !== null && !o.reached) ? EXIT_IMPRECISE : EXIT_OK;
}

export interface CapacityFlags {
  vary: Axis[];
  cost: { path: PathSegment[]; weight: number }[];
  maxRate?: string;
  headroom?: boolean | string;
  precision?: number;
  seeds?: number;
  maxSeeds?: number;
  seed?: number;
  workers?: number;
  grid?: boolean;
  out?: string;
  json?: boolean;
  progress: boolean;
  maxEvents: number;
  maxMemory: number;
  force?: boolean;
}

/** `--cost PATH=WEIGHT`, collected in order. */
export function parseCost(text: string, previous: CapacityFlags["cost"]): CapacityFlags["cost"] {
  const at = text.indexOf("=");
  const path = at <= 0 ? null : parseOverridePath(text.slice(0, at));
  const weight = Number(text.slice(at + 1));
  if (path === null || at === text.length - 1 || !(Number.isFinite(weight) && weight > 0))
    throw new InvalidArgumentError(
      `expected PATH=WEIGHT with a weight > 0, e.g. services.payment.instances=2.5, got "${text}"`,
    );
  return [...previous, { path, weight }];
}

/** 0 found; 99 nothing meets the thresholds; 4 (as an imprecise sweep) the search could not decide within its caps. */
export function capacityExitCode(result: CapacityResult): number {
  if (result.status === "found") return EXIT_OK;
  return result.status === "none" ? EXIT_NONE_MEETS : EXIT_IMPRECISE;
}
