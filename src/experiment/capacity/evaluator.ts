// Evaluates points of a capacity search through the experiment engine: each new point is parsed
// (so validated) and run on the first wave's seeds, then the undecided ones get more seeds in
// further waves until every point asked for is decided or at the cap. Every point runs seeds
// firstSeed, firstSeed + 1, ... (common random numbers), and points already evaluated are
// answered from memory, so a search never runs a (point, seed) twice.

import type { SearchStep } from "../../result/capacity.ts";
import type { ThresholdVerdict } from "../../result/experiment.ts";
import { digest, type RunDigest } from "../digest.ts";
import type { ExperimentSession } from "../engine.ts";
import { thresholdFigures } from "../figures.ts";
import { type Assignment, parsePoint, type Scenario } from "../source.ts";
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
      const record: Evaluated = {
        ...c,
        order: this.records.size + 1,
        scenario: parsePoint(this.session.source, c.set, c.label),
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

/** The thresholds at a point, as sweep and compare report them. */
export function pointThresholds(record: Evaluated) {
  return thresholdFigures(record.scenario, record.digests);
}
