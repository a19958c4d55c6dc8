// `meshsim sweep`: the scenario run at every point of a grid over paths of the file (from --vary,
// or else the file's sweep: section), each point on the same seeds (common random numbers), and
// per point every figure with its 95% interval and the thresholds judged on the intervals.
import type { Sweep, SweepPoint } from "../result/experiment.ts";
import { runExperiment } from "./engine.ts";
import { byName, loadFigures, serviceFigures, thresholdFigures } from "./figures.ts";
import { type Axis, gridPoints } from "./grid.ts";
import { sweepFiles } from "./outputs.ts";
import {
  checkOptions,
  type ExperimentOptions,
  engineOptions,
  experimentSource,
  firstWave,
  planPoints,
  precisionRule,
} from "./plan.ts";
import { badInput, parseBase, readSource, renderPath, writeOutputDir } from "./source.ts";

export interface SweepOptions extends ExperimentOptions {
  /** The paths and values to vary; when given, the file's sweep.vary is not used. */
  vary?: Axis[];
  /** Pair the paths' values one to one instead of crossing them. */
  zip?: boolean;
}

/** Seeds per point when neither --seeds nor the file's sweep.seeds says. */
export const DEFAULT_SWEEP_SEEDS = 5;

export async function sweep(file: string, options: SweepOptions = {}): Promise<Sweep> {
  checkOptions(file, options);
  const source = experimentSource(file, options);
  const base = parseBase(source);
  const axes = options.vary ?? base.sweep?.vary ?? [];
  if (axes.length === 0)
    throw badInput(file, "nothing to vary: add --vary PATH=VALUES or a sweep: section", "sweep");
  const zip = options.zip ?? (options.vary === undefined ? (base.sweep?.zip ?? false) : false);
  let grid: ReturnType<typeof gridPoints>;
  try {
    grid = gridPoints(axes, zip);
  } catch (error) {
    throw badInput(file, (error as Error).message, "sweep");
  }
  const rule = precisionRule(options);
  const plan = {
    source,
    points: planPoints(source, grid, options.budget),
    firstSeed: options.seed ?? base.seed,
    seeds: firstWave(options.seeds ?? base.sweep?.seeds ?? DEFAULT_SWEEP_SEEDS, rule),
    precision: rule,
    coupled: false,
    keepResults: false,
  };
  const runs = await runExperiment(plan, engineOptions(options));
  const points = plan.points.map((point, i): SweepPoint => {
    const digests = runs[i].digests;
    return {
      set: Object.fromEntries(point.set.map((a) => [renderPath(a.path), a.value])),
      seeds: digests.length,
      precision: runs[i].precision,
      loads: byName(digests, "loads", loadFigures),
      services: byName(digests, "services", serviceFigures),
      thresholds: thresholdFigures(point.scenario, digests),
    };
  });
  const result: Sweep = {
    scenario: base.name,
    vary: axes.map((a) => ({ path: renderPath(a.path), values: a.values })),
    zip,
    firstSeed: plan.firstSeed,
    points,
  };
  // keepOthers: the runs/ stored beside the summaries stay (a re-run with this --out reuses them).
  if (options.out !== undefined)
    await writeOutputDir(options.out, sweepFiles(result), { keepOthers: true });
  return result;
}
