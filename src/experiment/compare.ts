// `meshsim compare`: the scenario run once per variant (values put at paths of the file) on the
// same seeds, so every variant sees identical arrivals, keys and service-time draws (common random
// numbers: each request's draws are keyed by the request). Per variant, every figure with its 95%
// interval, and the paired difference against the baseline (the first variant, or --baseline)
// seed by seed, whose interval is far tighter than the two separate ones: both are shown.
import type { Comparison, LoadSummary, VariantOutcome } from "../result/compare.ts";
import { type RunDigest, withoutHistograms } from "./digest.ts";
import { runExperiment } from "./engine.ts";
import {
  byName,
  cacheHitRatio,
  imbalance,
  loadFigures,
  serviceFigures,
  thresholdFigures,
  variantDiff,
} from "./figures.ts";
import { compareFiles } from "./outputs.ts";
import {
  checkOptions,
  type ExperimentOptions,
  engineOptions,
  experimentSource,
  firstWave,
  planPoints,
  precisionRule,
} from "./plan.ts";
import {
  type Assignment,
  badInput,
  parseBase,
  readSource,
  renderPath,
  writeOutputDir,
} from "./source.ts";
import { transactionDiff, transactionFigures } from "./transactionFigures.ts";

export interface Variant {
  name: string;
  set: Assignment[];
}

export interface CompareOptions extends ExperimentOptions {
  /** Variants after the file's own (compare.variants). */
  variants?: Variant[];
  /** The variant the others are compared with (default: the first). */
  baseline?: string;
  /** Run only the variants of these names (the file's and `variants` together), in their order. */
  only?: string[];
  /** false: leave out the file's own compare.variants, run `variants` alone (default true). */
  fileVariants?: boolean;
}

export async function compare(file: string, options: CompareOptions = {}): Promise<Comparison> {
  checkOptions(file, options);
  const source = experimentSource(file, options);
  const base = parseBase(source);
  const all: Variant[] = [
    ...(options.fileVariants === false ? [] : (base.compare?.variants ?? [])),
    ...(options.variants ?? []),
  ];
  const only = options.only;
  if (only !== undefined) {
    const missing = only.filter((name) => !all.some((v) => v.name === name));
    if (missing.length > 0)
      throw badInput(
        file,
        `--only ${missing.join(",")}: no such variant (the variants are: ${all.map((v) => v.name).join(", ") || "none"})`,
      );
  }
  const variants = only === undefined ? all : all.filter((v) => only.includes(v.name));
  if (variants.length === 0)
    throw badInput(
      file,
      "no variants to compare: add a compare: section or --variant NAME=path=value",
      "compare",
    );
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw badInput(file, `variant ${v.name} is given twice`);
    names.add(v.name);
  }
  const baseline = options.baseline ?? variants[0].name;
  const baselineIndex = variants.findIndex((v) => v.name === baseline);
  if (baselineIndex < 0)
    throw badInput(
      file,
      `--baseline ${baseline} is not a variant (the variants are: ${variants.map((v) => v.name).join(", ")})`,
    );
  const rule = precisionRule(options);
  const plan = {
    source,
    points: planPoints(
      source,
      variants.map((v) => ({ set: v.set, label: `variant ${v.name}` })),
      options.budget,
    ),
    firstSeed: options.seed ?? base.seed,
    seeds: firstWave(options.seeds ?? base.compare?.seeds ?? 1, rule),
    precision: rule,
    coupled: true,
    keepResults: true,
  };
  const runs = await runExperiment(plan, engineOptions(options));
  const seeds = runs[0].digests.map((d) => d.seed);
  const outcomes = variants.map((v, i): VariantOutcome => {
    const digests = runs[i].digests;
    const worst = imbalance(digests);
    const transactions = transactionFigures(digests);
    return {
      name: v.name,
      set: Object.fromEntries(v.set.map((a) => [renderPath(a.path), a.value])),
      loads: digests[0].loads.map(
        (l, j): LoadSummary => ({ load: l.name, ...loadFigures(digests, j) }),
      ),
      maxImbalance: worst.value,
      maxImbalanceCi95: worst.ci95,
      cacheHitRatio: cacheHitRatio(digests),
      services: byName(digests, "services", serviceFigures),
      thresholds: thresholdFigures(plan.points[i].scenario, digests),
      precision: runs[i].precision,
      ...(transactions === null ? {} : { transactions }),
      diff: i === baselineIndex ? null : diffOf(baseline, runs[baselineIndex].digests, digests),
      results: runs[i].results.map(withoutHistograms),
    };
  });
  const comparison: Comparison = {
    scenario: base.name,
    seeds,
    baseline,
    variants: outcomes,
  };
  // keepOthers: the runs/ stored beside the summaries stay (a re-run with this --out reuses them).
  if (options.out !== undefined)
    await writeOutputDir(options.out, compareFiles(comparison), { keepOthers: true });
  return comparison;
}

/** The paired differences of a variant against the baseline, the ledger's when both have one. */
function diffOf(baseline: string, base: readonly RunDigest[], runs: readonly RunDigest[]) {
  const diff = variantDiff(baseline, base, runs);
  const n = diff.seeds;
  const transactions = transactionDiff(base.slice(0, n), runs.slice(0, n));
  return transactions === null ? diff : { ...diff, transactions };
}
