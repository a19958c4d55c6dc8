// What sweep and compare share before anything runs: the options checked (a bad one is bad input,
// exit 2, naming the option), every point parsed as a scenario of its own (a bad point names
// itself and the field), the seeds and the precision rule, and the run store under --out.
import { join } from "node:path";
import type { EngineOptions, ExperimentProgress, PlanPoint, PrecisionRule } from "./engine.ts";
import type { GridPoint } from "./grid.ts";
import { defaultWorkers } from "./pool.ts";
import { type RunStore, runStore } from "./runStore.ts";
import {
  type Budget,
  badInput,
  estimateCost,
  overBudget,
  parsePoint,
  readSource,
  type Source,
} from "./source.ts";

/** Options sweep() and compare() share. */
export interface ExperimentOptions {
  /** Replications per point (the first wave's with `precision`). */
  seeds?: number;
  /** The first seed (default: the file's). */
  seed?: number;
  /** Replicate until every watched figure's 95% half-width is within this fraction of it, in (0, 1). */
  precision?: number;
  /** With `precision`: the fewest seeds before the rule may stop (default 5; guards heavy tails). */
  minSeeds?: number;
  /** With `precision`: the most seeds per point (default 50). */
  maxSeeds?: number;
  /** Worker threads (default: the machine's cores), or "inline" for the calling thread. */
  workers?: EngineOptions["workers"];
  /** Write runs/ as runs finish (and skip those already there), then the summary files. */
  out?: string;
  /** The scenario's text when it is not to be read from the file (merge replays a shard's). */
  text?: string;
  /** Where finished runs are read and written, instead of runs/ under `out` (merge's). */
  store?: RunStore;
  /** Refuse (bad input, before any run) a point whose one run is estimated above it (the CLI's --max-events, --max-memory). */
  budget?: Budget;
  onProgress?: (progress: ExperimentProgress) => void;
}

export const DEFAULT_MIN_SEEDS = 5;
export const DEFAULT_MAX_SEEDS = 50;

function wholeAtLeast(file: string, option: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min))
    throw badInput(file, `${option} must be a whole number >= ${min}, got ${value}`);
}

/** Checks the options shared by both commands; throws bad input naming the option. */
export function checkOptions(file: string, options: ExperimentOptions): void {
  wholeAtLeast(file, "seeds", options.seeds, 1);
  wholeAtLeast(file, "seed", options.seed, 0);
  wholeAtLeast(file, "minSeeds", options.minSeeds, 2);
  wholeAtLeast(file, "maxSeeds", options.maxSeeds, 2);
  if (typeof options.workers === "number" || options.workers === undefined)
    wholeAtLeast(file, "workers", options.workers, 1);
  const p = options.precision;
  if (p !== undefined && !(p > 0 && p < 1))
    throw badInput(
      file,
      `precision is a relative half-width in (0, 1), e.g. 0.05 for 5%, got ${p}`,
    );
  const min = options.minSeeds ?? DEFAULT_MIN_SEEDS;
  const max = options.maxSeeds ?? DEFAULT_MAX_SEEDS;
  if (p !== undefined && max < min)
    throw badInput(file, `maxSeeds (${max}) must be at least minSeeds (${min})`);
}

export function precisionRule(options: ExperimentOptions): PrecisionRule | null {
  if (options.precision === undefined) return null;
  return {
    target: options.precision,
    minSeeds: options.minSeeds ?? DEFAULT_MIN_SEEDS,
    maxSeeds: options.maxSeeds ?? DEFAULT_MAX_SEEDS,
  };
}

/** The first wave's seeds: as asked, and with a precision rule at least its minimum. */
export function firstWave(seeds: number, rule: PrecisionRule | null): number {
  return rule === null ? seeds : Math.min(rule.maxSeeds, Math.max(seeds, rule.minSeeds));
}

/**
 * Parses every point up front, and holds each to the budget as `run` holds a file: a bad one, or
 * one whose run is estimated above it, stops the experiment before any run.
 */
export function planPoints(
  source: Source,
  points: readonly GridPoint[],
  budget?: Budget,
): PlanPoint[] {
  return points.map((p) => {
    const scenario = parsePoint(source, p.set, p.label);
    const over = budget === undefined ? null : overBudget(estimateCost(scenario), budget);
    if (over !== null)
      throw badInput(
        source.file,
        `in ${p.label}: ${over}; raise the budget, lower maxEvents, or pass --force to run it anyway`,
      );
    return { ...p, scenario };
  });
}

/** The file's text, read once (or as given: a shard's, a merge's or a queue coordinator's). */
export function experimentSource(file: string, options: { text?: string }): Source {
  return options.text === undefined ? readSource(file) : { file, text: options.text };
}

/** Where and how an experiment's runs execute (sweep's, compare's and capacity's alike). */
export type Execution = Pick<ExperimentOptions, "workers" | "out" | "store" | "onProgress">;

export function engineOptions(options: Execution): EngineOptions {
  return {
    workers: options.workers ?? defaultWorkers(),
    store:
      options.store ?? (options.out === undefined ? null : runStore(join(options.out, "runs"))),
    onProgress: options.onProgress,
  };
}
