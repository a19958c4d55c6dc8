// Evaluates points of a capacity search through the experiment engine: each new point is parsed
// (so validated) and run on the first wave's seeds, then the undecided ones get more seeds in
// further waves until every point asked for is decided or at the cap. Every point runs seeds
// firstSeed, firstSeed + 1, ... (common random numbers), and points already evaluated are
// answered from memory, so a search never runs a (point, seed) twice.

import type { SearchStep } from "../../result/capacity.ts";
import type { ThresholdVerdict } from "../../result/experiment.ts";
import { type Budget, estimateCost, overBudget } from "../../scenario/cost.ts";
import { digest, type RunDigest } from "../digest.ts";
import type { ExperimentSession } from "../engine.ts";
import { thresholdFigures } from "../figures.ts";
import { type Assignment, badInput, parsePoint, type Scenario } from "../source.ts";
import { backlog, pointVerdict, type SeedRule, seedsWanted, thresholdEstimates } from "./decide.ts";

export interface Candidate {
  key: string;
  set: Assignment[];
  label: string;
  step: SearchStep;
}

export interface Evaluated extends Candidate {
  /** 1 for the first point evaluated. */
  order: number;
  scenario: Scenario;
  digests: RunDigest[];
  verdict: ThresholdVerdict;
}

/** What the searches need of an evaluator (tests give them a synthetic one). */
export interface PointOracle {
  evaluate(candidates: readonly Candidate[]): Promise<Evaluated[]>;
  get(key: string): Evaluated | undefined;
}

export class Evaluator implements PointOracle {
  /** Every point evaluated, in the order first asked for. */
  readonly records = new Map<string, Evaluated>();

  constructor(
    private readonly session: ExperimentSession,
    readonly rule: SeedRule,
    /** Each new point is held to it before it runs, as sweep and compare hold theirs up front. */
    private readonly budget?: Budget,
  ) {}

  get(key: string): Evaluated | undefined {
    return this.records.get(key);
  }

  /** Runs each seed of every evaluated point counted once. */
  get runs(): number {
    let n = 0;
    for (const r of this.records.values()) n += r.digests.length;
    return n;
  }

  /** The points' records, in the order given; new points are run until decided or at the cap. */
  async evaluate(candidates: readonly Candidate[]): Promise<Evaluated[]> {
    const fresh: Evaluated[] = [];
    for (const c of candidates) {
      if (this.records.has(c.key)) continue;
      const scenario = parsePoint(this.session.source, c.set, c.label);
      checkBudget(this.session.source.file, c.label, scenario, this.budget);
      const record: Evaluated = {
        ...c,
        order: this.records.size + 1,
        scenario,
        digests: [],
        verdict: "undecided",
      };
      this.records.set(c.key, record);
      fresh.push(record);
    }
    let wanted = fresh.map(() => this.rule.first);
    for (;;) {
      const requests = fresh.flatMap((record, i) => {
        const from = record.digests.length;
        if (wanted[i] <= from) return [];
        const seeds = Array.from({ length: wanted[i] - from }, (_, k) => from + k);
        return [{ record, seeds }];
      });
      if (requests.length === 0) break;
      const results = await this.session.wave(
        requests.map(({ record, seeds }) => ({
          point: { set: record.set, label: record.label, scenario: record.scenario },
          seeds,
        })),
      );
      requests.forEach(({ record }, i) => {
        for (const result of results[i]) record.digests.push(digest(result));
      });
      wanted = fresh.map((record) => {
        const estimates = thresholdEstimates(record.scenario, record.digests);
        const unfinished = backlog(record.digests);
        record.verdict = pointVerdict(
          estimates.map((e) => e.verdict),
          unfinished,
        );
        return seedsWanted(estimates, this.rule, unfinished);
      });
    }
    return candidates.map((c) => this.records.get(c.key)!);
  }
}

/**
 * A point whose one run is estimated above the budget stops the search before that point runs
 * (exit 2). The search cannot know every point it will visit up front, so the points it starts
 * from are checked before any run (capacity.ts) and the rest here; runs already finished stay in
 * runs/ under --out, so a re-run with a raised budget or --force goes on from them.
 */
export function checkBudget(
  file: string,
  label: string,
  scenario: Scenario,
  budget: Budget | undefined,
): void {
  const over = budget === undefined ? null : overBudget(estimateCost(scenario), budget);
  if (over !== null)
    throw badInput(
      file,
      `capacity: in ${label}: ${over}; raise the budget, lower maxEvents, or pass --force to run it anyway`,
    );
}

/** The thresholds at a point, as sweep and compare report them. */
export function pointThresholds(record: Evaluated) {
  return thresholdFigures(record.scenario, record.digests);
}
