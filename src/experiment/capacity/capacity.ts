// `meshsim capacity`: the cheapest point of the varied paths at which every threshold of the
// scenario passes on its 95% interval (with --headroom, how far the load can then grow), or with
// --max-rate the highest rate one load can take. Checks the question, opens one experiment session
// (one pool, one run store, seeds shared by every point), runs the search, and writes the outputs.
import type { CapacityPlan, CapacityResult, MaxRatePlan } from "../../result/capacity.ts";
import type { Budget } from "../../scenario/cost.ts";
import { type EngineOptions, type ExperimentProgress, ExperimentSession } from "../engine.ts";
import { capacityFiles } from "../outputs.ts";
import { engineOptions, experimentSource } from "../plan.ts";
import type { RunStore } from "../runStore.ts";
import {
  badInput,
  parseBase,
  parsePoint,
  type Scenario,
  type Source,
  writeOutputDir,
} from "../source.ts";
import { CheapestSearch } from "./cheapest.ts";
import type { SeedRule } from "./decide.ts";
import { checkBudget, Evaluator } from "./evaluator.ts";
import {
  type CostInput,
  checkThresholds,
  dimensionsOf,
  headroomLoad,
  rateLoad,
  type VaryInput,
} from "./inputs.ts";
import { MaxRateSearch } from "./maxRate.ts";
import { modelBound } from "./modelBound.ts";
import { indexKey, Space } from "./space.ts";
import { capacityPlan } from "./summary.ts";

export interface CapacityOptions {
  /** The paths to choose values for, each with its values (LO..HI), ascending. */
  vary?: VaryInput[];
  /** Cost per unit of a varied path (default 1 each: the cheapest is the fewest in total). */
  cost?: CostInput[];
  /** Instead of varying paths: the highest rate this load takes under the thresholds. */
  maxRate?: string;
  /** With vary: the highest rate at the recommendation, of the load named or the only one with a rate. */
  headroom?: boolean | string;
  /** Relative width of the max-rate bracket, in (0, 1) (default 0.02). */
  precision?: number;
  /** Seeds of each point's first wave (default 5, at least 2). */
  seeds?: number;
  /** The most seeds a point gets before it is called undecided (default 20). */
  maxSeeds?: number;
  /** The first seed (default: the file's). */
  seed?: number;
  /** Evaluate every point of the grid instead of searching (to check the search). */
  grid?: boolean;
  workers?: EngineOptions["workers"];
  /** Every point is held to it before it runs (none: --force). */
  budget?: Budget;
  /** Write capacity.json, capacity.md, report.html and runs/ (a re-run skips the runs there). */
  out?: string;
  /** The scenario's text when it is not to be read from the file (a shard's, merge's, queue's). */
  text?: string;
  /** Where finished runs are read and written, instead of runs/ under `out` (merge's). */
  store?: RunStore;
  onProgress?: (progress: ExperimentProgress) => void;
}

export const DEFAULT_CAPACITY_SEEDS = 5;
export const DEFAULT_CAPACITY_MAX_SEEDS = 20;
export const DEFAULT_RATE_PRECISION = 0.02;
/**
 * Points run on either side of the recommendation along each path, for the charts: two for one or
 * two paths, one beyond (each profile point costs a point's seeds, and there are 2 × paths).
 */
export function profileWidth(paths: number): number {
  return paths <= 2 ? 2 : 1;
}

function checkOptions(file: string, options: CapacityOptions): SeedRule {
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min))
      throw badInput(file, `${name} must be a whole number >= ${min}, got ${value}`);
  };
  whole("seeds", options.seeds, 2);
  whole("maxSeeds", options.maxSeeds, 2);
  whole("seed", options.seed, 0);
  if (typeof options.workers === "number" || options.workers === undefined)
    whole("workers", options.workers, 1);
  const p = options.precision;
  if (p !== undefined && !(p > 0 && p < 1))
    throw badInput(file, `precision is a relative width in (0, 1), e.g. 0.02 for 2%, got ${p}`);
  const hasVary = (options.vary?.length ?? 0) > 0;
  if (hasVary === (options.maxRate !== undefined))
    throw badInput(
      file,
      hasVary
        ? "--max-rate and --vary ask different questions: for the highest rate at the cheapest point, use --vary ... --headroom LOAD"
        : "nothing to plan: give --vary PATH=LO..HI (the cheapest point) or --max-rate LOAD (the highest rate)",
    );
  if (options.headroom !== undefined && options.headroom !== false && !hasVary)
    throw badInput(file, "--headroom goes with --vary (with --max-rate the rate is the question)");
  const first = options.seeds ?? DEFAULT_CAPACITY_SEEDS;
  const max = options.maxSeeds ?? Math.max(DEFAULT_CAPACITY_MAX_SEEDS, first);
  if (max < first) throw badInput(file, `maxSeeds (${max}) must be at least seeds (${first})`);
  return { first, max };
}

export async function capacity(file: string, options: CapacityOptions): Promise<CapacityResult> {
  const rule = checkOptions(file, options);
  const source = experimentSource(file, options);
  const base = parseBase(source);
  checkThresholds(source, base);
  const firstSeed = options.seed ?? base.seed;
  const result =
    options.maxRate !== undefined
      ? await maxRatePlan(source, base, options.maxRate, rule, firstSeed, options)
      : await cheapestPlan(source, base, rule, firstSeed, options);
  // keepOthers: the runs/ stored beside the summaries stay (a re-run with this --out reuses them).
  if (options.out !== undefined)
    await writeOutputDir(options.out, capacityFiles(result), { keepOthers: true });
  return result;
}

/** Per dimension: the model's bound, with every other path at its highest (as the floors run). */
function bounds(source: Source, space: Space): (number | null)[] {
  const top = space.top();
  return space.dims.map((d, i) => {
    const index = top.map((t, j) => (j === i ? 0 : t));
    const scenario = parsePoint(source, space.assignments(index), space.label(index));
    return modelBound(scenario, d.path);
  });
}

async function cheapestPlan(
  source: Source,
  base: Scenario,
  rule: SeedRule,
  firstSeed: number,
  options: CapacityOptions,
): Promise<CapacityPlan> {
  const space = new Space(dimensionsOf(source, options.vary ?? [], options.cost ?? []));
  const headroom =
    options.headroom === undefined || options.headroom === false
      ? null
      : headroomLoad(source, base, options.headroom);
  if (headroom !== null) rateLoad(source, base, headroom, "--headroom", [], () => ""); // checks it
  // Up front, before any run: the cheapest and the dearest corner of the space (cost grows with
  // instances, rates and sizes in every shipped case); the points between are checked as visited.
  for (const corner of [space.top().map(() => 0), space.top()])
    checkBudget(
      source.file,
      space.label(corner),
      parsePoint(source, space.assignments(corner), space.label(corner)),
      options.budget,
    );
  const modelBounds = bounds(source, space);
  const boundIndices = modelBounds.map((b, i) => {
    if (b === null) return null;
    const k = space.dims[i].values.findIndex((v) => v >= b);
    return k < 0 ? space.dims[i].values.length - 1 : k;
  });
  const session = new ExperimentSession(source, firstSeed, engineOptions(options));
  try {
    const evaluator = new Evaluator(session, rule, options.budget);
    const search = new CheapestSearch(space, evaluator, boundIndices);
    const outcome = await search.run({
      grid: options.grid ?? false,
      profile: profileWidth(space.dims.length),
    });
    const indices = search.evaluated;
    let maxRate = null;
    if (headroom !== null && outcome.best !== null) {
      const best = outcome.best;
      const load = rateLoad(
        source,
        base,
        headroom,
        "--headroom",
        space.assignments(best),
        (rate, own) => (own ? indexKey(best) : `${indexKey(best)}@${rate}`),
      );
      maxRate = await new MaxRateSearch(
        evaluator,
        load,
        options.precision ?? DEFAULT_RATE_PRECISION,
      ).run();
    }
    return capacityPlan({
      scenario: base.name,
      space,
      evaluator,
      outcome,
      indices,
      bounds: modelBounds,
      firstSeed,
      rule,
      headroom: maxRate,
    });
  } finally {
    await session.close();
  }
}

async function maxRatePlan(
  source: Source,
  base: Scenario,
  loadName: string,
  rule: SeedRule,
  firstSeed: number,
  options: CapacityOptions,
): Promise<MaxRatePlan> {
  const load = rateLoad(source, base, loadName, "--max-rate", [], (rate) => `@${rate}`);
  const start = load.candidate(load.fileRate);
  checkBudget(source.file, start.label, parsePoint(source, start.set, start.label), options.budget);
  const session = new ExperimentSession(source, firstSeed, engineOptions(options));
  try {
    const evaluator = new Evaluator(session, rule, options.budget);
    const found = await new MaxRateSearch(
      evaluator,
      load,
      options.precision ?? DEFAULT_RATE_PRECISION,
    ).run();
    return {
      scenario: base.name,
      mode: "max-rate",
      ...found,
      firstSeed,
      seeds: { first: rule.first, max: rule.max },
    };
  } finally {
    await session.close();
  }
}
