// The capacity plan as --json prints it, from the search's outcome and every point it evaluated:
// the recommendation with its verdicts, the binding threshold (least room), each cheaper
// neighbour's first breach with its paired difference against the recommendation, utilisation
// per service, the monotonicity check, and the work done against the grid's size.

import type {
  Breach,
  CapacityPlan,
  CheaperNeighbour,
  EvaluatedPoint,
  MaxRate,
  UtilizationFigure,
} from "../../result/capacity.ts";
import type { Ci95 } from "../../result/experiment.ts";
import { roundSig } from "../../result/round.ts";
import type { RunDigest } from "../digest.ts";
import { renderPath } from "../source.ts";
import { estimate, pairedDifference } from "../statistics.ts";
import type { CheapestOutcome } from "./cheapest.ts";
import { backlog, type SeedRule } from "./decide.ts";
import { type Evaluated, type Evaluator, pointThresholds } from "./evaluator.ts";
import { bindingThreshold, thresholdMargin } from "./margins.ts";
import { type Index, indexKey, type Space } from "./space.ts";

function ci(e: { ci95: [number, number] | null }): Ci95 {
  return e.ci95 === null ? null : [roundSig(e.ci95[0]), roundSig(e.ci95[1])];
}

export function utilization(digests: readonly RunDigest[]): Record<string, UtilizationFigure> {
  return Object.fromEntries(
    digests[0].services.map((s, i) => {
      const e = estimate(digests.map((d) => d.services[i].utilization));
      return [s.name, { utilization: roundSig(e.mean), utilizationCi95: ci(e) }];
    }),
  );
}

/** The first failing threshold of a neighbour (else the first undecided one), against the best point. */
function breach(neighbour: Evaluated, best: Evaluated): Breach | null {
  const figures = pointThresholds(neighbour);
  let t = figures.findIndex((f) => f.verdict === "fail");
  if (t < 0) t = figures.findIndex((f) => f.verdict === "undecided");
  if (t < 0) return null;
  const d = pairedDifference(
    best.digests.map((r) => r.thresholds[t]),
    neighbour.digests.map((r) => r.thresholds[t]),
  );
  return {
    ...thresholdMargin(neighbour, t),
    verdict: figures[t].verdict,
    diff: roundSig(d.mean),
    diffCi95: ci(d),
  };
}

function neighbours(
  space: Space,
  evaluator: Evaluator,
  outcome: CheapestOutcome,
  best: Evaluated,
): CheaperNeighbour[] {
  return outcome.neighbours.flatMap((index, i) => {
    if (index === null) return [];
    const record = evaluator.get(indexKey(index));
    if (record === undefined) return [];
    return [
      {
        path: space.dims[i].name,
        set: space.record(index),
        cost: space.cost(index),
        verdict: record.verdict,
        breach: breach(record, best),
        unfinished: roundSig(backlog(record.digests)),
      },
    ];
  });
}

export function evaluatedPoints(
  space: Space,
  evaluator: Evaluator,
  indices: readonly Index[],
): EvaluatedPoint[] {
  return indices
    .map((index) => ({ index, record: evaluator.get(indexKey(index))! }))
    .sort((a, b) => a.record.order - b.record.order)
    .map(({ index, record }) => ({
      order: record.order,
      step: record.step,
      set: space.record(index),
      cost: space.cost(index),
      seeds: record.digests.length,
      verdict: record.verdict,
      thresholds: pointThresholds(record),
      unfinished: roundSig(backlog(record.digests)),
      utilization: utilization(record.digests),
    }));
}

export interface PlanParts {
  scenario: string;
  space: Space;
  evaluator: Evaluator;
  outcome: CheapestOutcome;
  indices: readonly Index[];
  bounds: (number | null)[];
  firstSeed: number;
  rule: SeedRule;
  headroom: MaxRate | null;
}

export function capacityPlan(parts: PlanParts): CapacityPlan {
  const { space, evaluator, outcome } = parts;
  const best = outcome.best === null ? null : evaluator.get(indexKey(outcome.best))!;
  return {
    scenario: parts.scenario,
    mode: "cheapest",
    recommended: outcome.best === null ? null : space.record(outcome.best),
    met: best !== null && best.verdict === "pass",
    runs: evaluator.runs,
    gridSize: space.size * parts.rule.first,
    status: outcome.status,
    cost: outcome.best === null ? null : space.cost(outcome.best),
    firstSeed: parts.firstSeed,
    seeds: { first: parts.rule.first, max: parts.rule.max },
    dimensions: space.dims.map((d, i) => ({
      path: renderPath(d.path),
      values: d.values,
      weight: d.weight,
      modelBound: parts.bounds[i],
      floor: outcome.floors[i] === null ? null : d.values[outcome.floors[i]!],
    })),
    verdicts: best === null ? [] : pointThresholds(best),
    binding: best === null ? null : thresholdMargin(best, bindingThreshold(best)),
    cheaperNeighbours: best === null ? [] : neighbours(space, evaluator, outcome, best),
    utilization: best === null ? {} : utilization(best.digests),
    headroom: parts.headroom,
    monotonicity: {
      holds: outcome.contradictions.length === 0,
      contradictions: outcome.contradictions.map((c) => ({
        passes: space.record(c.passes),
        fails: space.record(c.fails),
      })),
    },
    undecided: outcome.undecided.map((u) => space.record(u)),
    pointsEvaluated: parts.indices.length,
    points: evaluatedPoints(space, evaluator, parts.indices),
  };
}
