// Shared by the statistical tests in test/theory/: hold a mean over seeds to a closed form with a
// tolerance of 4 standard errors of the spread across seeds, and run each model once per file.
import { expect } from "vitest";
import type { RunResult } from "../../src/result/run.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { type SeedSpread, spread } from "./stats.ts";

/** Standard errors allowed between the mean over seeds and theory. */
export const STANDARD_ERRORS = 4;

export const verbose = process.env.MESHSIM_THEORY_VERBOSE === "1";

export function seedText(seeds: readonly number[]): string {
  return `seeds ${seeds[0]}–${seeds[seeds.length - 1]}`;
}

/** A theoretical value for a test name: 6 significant digits, no float noise (9, not 9.000000000000002). */
export function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** Mean over seeds within 4 standard errors of theory, plus `floor`; the numbers go in the message. */
export function expectNearTheory(
  label: string,
  values: readonly number[],
  theory: number,
  floor = 0,
): SeedSpread {
  const s = spread(values);
  const tolerance = STANDARD_ERRORS * s.se + floor;
  const detail = `${label}: mean ${s.mean} (sd ${s.sd}, n ${s.n}) vs theory ${theory}, tolerance ${tolerance}`;
  if (verbose) console.log(detail);
  expect(Math.abs(s.mean - theory), detail).toBeLessThan(tolerance);
  return s;
}

/** Runs a model on each seed once, on first use: several tests read the same runs. */
export function cachedRuns(): (
  key: string,
  seeds: readonly number[],
  build: () => Scenario,
) => RunResult[] {
  const cache = new Map<string, RunResult[]>();
  return (key, seeds, build) => {
    let runs = cache.get(key);
    if (runs === undefined) {
      const s = build();
      runs = seeds.map((seed) => runScenario(s, { seed }));
      cache.set(key, runs);
    }
    return runs;
  };
}
