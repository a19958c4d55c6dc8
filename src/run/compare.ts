// `meshsim compare`: the same scenario run once per variant (a set of values put at paths of the
// file) with the same seeds, so every variant sees identical arrivals, keys and service-time draws
// (common random numbers: each request's draws are keyed by the request, not by the order it
// reaches a service). Each variant is validated like a file of its own.
import { readFileSync } from "node:fs";
import type { Comparison, LoadSummary, VariantOutcome } from "../result/compare.ts";
import { roundSig } from "../result/round.ts";
import type { RunResult } from "../result/run.ts";
import { ScenarioError, type ScenarioProblem } from "../scenario/errors.ts";
import { type Override, parseScenario, renderPath } from "../scenario/loader.ts";
import type { Scenario, VariantSpec } from "../scenario/types.ts";
import type { RunProgress } from "./progress.ts";
import { runScenario } from "./runScenario.ts";

export type { Comparison, LoadSummary, VariantOutcome } from "../result/compare.ts";

export interface CompareOptions {
  /** Variants from the command line, after the file's own. */
  variants?: VariantSpec[];
  /** Overrides the file's compare.seeds. */
  seeds?: number;
  /** Overrides the file's seed (the first of the seeds). */
  seed?: number;
  /** Watches the runs (see progress.ts); the comparison is the same with or without it. */
  onProgress?: (progress: CompareProgress) => void;
}

/** Where a comparison stands: which run (1-based, in the order variants × seeds) and how far it is. */
export interface CompareProgress {
  run: number;
  runs: number;
  variant: string;
  seed: number;
  sim: RunProgress;
  /** Events of every run so far, this one included. */
  events: number;
}

export function compareFile(file: string, options: CompareOptions = {}): Comparison {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ScenarioError([
      {
        file,
        line: null,
        column: null,
        path: "",
        message: `cannot read the file: ${(error as Error).message}`,
      },
    ]);
  }
  const base = parseScenario(text, file);
  const variants = [...(base.compare?.variants ?? []), ...(options.variants ?? [])];
  if (variants.length === 0) {
    throw new ScenarioError([
      {
        file,
        line: null,
        column: null,
        path: "compare",
        message: "no variants to compare: add a compare: section or --variant NAME=path=value",
      },
    ]);
  }
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name))
      throw new ScenarioError([
        { file, line: null, column: null, path: "", message: `variant ${v.name} is given twice` },
      ]);
    names.add(v.name);
  }
  const first = options.seed ?? base.seed;
  const seeds = Array.from(
    { length: options.seeds ?? base.compare?.seeds ?? 1 },
    (_, i) => first + i,
  );
  const scenarios = variants.map((v) => variantScenario(text, file, v));
  const watch = options.onProgress;
  const runs = variants.length * seeds.length;
  let run = 0;
  let eventsBefore = 0;
  const runOne = (i: number, seed: number): RunResult => {
    run++;
    const label = { run, runs, variant: variants[i].name, seed };
    const onProgress =
      watch && ((sim: RunProgress) => watch({ ...label, sim, events: eventsBefore + sim.events }));
    const result = runScenario(scenarios[i], { seed, onProgress });
    eventsBefore += result.events;
    return result;
  };
  return {
    scenario: base.name,
    seeds,
    variants: variants.map((v, i) =>
      outcome(
        v,
        seeds.map((seed) => runOne(i, seed)),
      ),
    ),
  };
}

function variantScenario(text: string, file: string, variant: VariantSpec): Scenario {
  const overrides: Override[] = variant.set.map((s) => ({
    path: s.path,
    value: s.value,
    origin: `variant ${variant.name}`,
  }));
  try {
    return parseScenario(text, file, overrides);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const problems = error.problems.map(
      (p): ScenarioProblem => ({ ...p, message: `in variant ${variant.name}: ${p.message}` }),
    );
    throw new ScenarioError(problems);
  }
}

function outcome(variant: VariantSpec, results: RunResult[]): VariantOutcome {
  const loadNames = Object.keys(results[0].load);
  const loads = loadNames.map((load): LoadSummary => {
    const runs = results.map((r) => r.load[load]);
    const failed = sum(runs.map((r) => r.failed));
    const finished = failed + sum(runs.map((r) => r.completed));
    const meanOf = (pick: (l: (typeof runs)[number]["latencyMs"]) => number) =>
      roundSig(sum(runs.map((r) => pick(r.latencyMs))) / runs.length);
    return {
      load,
      offered: sum(runs.map((r) => r.offered)),
      errorRate: finished > 0 ? roundSig(failed / finished) : 0,
      latencyMs: {
        mean: meanOf((l) => l.mean),
        p50: meanOf((l) => l.p50),
        p90: meanOf((l) => l.p90),
        p99: meanOf((l) => l.p99),
        p999: meanOf((l) => l.p999),
        max: Math.max(...runs.map((r) => r.latencyMs.max)),
      },
    };
  });
  let hits = 0;
  let lookups = 0;
  for (const r of results) {
    for (const service of Object.values(r.services)) {
      if (service.cache === null) continue;
      hits += service.cache.hits;
      lookups += service.cache.hits + service.cache.misses;
    }
  }
  const imbalances = results.map((r) =>
    Math.max(0, ...Object.values(r.edges).map((e) => e.imbalance)),
  );
  const anyCache = results.some((r) => Object.values(r.services).some((s) => s.cache !== null));
  return {
    name: variant.name,
    set: Object.fromEntries(variant.set.map((s) => [renderPath(s.path), s.value])),
    loads,
    maxImbalance: roundSig(sum(imbalances) / imbalances.length),
    cacheHitRatio: anyCache ? (lookups > 0 ? roundSig(hits / lookups) : 0) : null,
    results,
  };
}

function sum(xs: number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}
