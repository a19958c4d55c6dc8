// How much room a threshold has at a point: its figure's distance from the limit relative to the
// limit, positive on the passing side (p99 = 450 ms under `p(99)<600ms` has a margin of 25%). The
// binding threshold is the one with the least room; comparing two points' margins seed by seed
// (they ran the same seeds) says how much margin a step bought, far more sharply than the two
// intervals apart would.

import type { ThresholdMargin } from "../../result/capacity.ts";
import type { Ci95 } from "../../result/experiment.ts";
import { roundSig } from "../../result/round.ts";
import type { RunDigest } from "../digest.ts";
import type { Scenario } from "../source.ts";
import { estimate, type Operator } from "../statistics.ts";
import type { Evaluated } from "./evaluator.ts";

function scale(limit: number): number {
  return limit === 0 ? 1 : Math.abs(limit);
}

/** Room left before the limit, relative to it; negative when the figure breaches it. */
export function relativeMargin(value: number, operator: Operator, limit: number): number {
  const s = scale(limit);
  switch (operator) {
    case "<":
    case "<=":
      return (limit - value) / s;
    case ">":
    case ">=":
      return (value - limit) / s;
    case "==":
      return -Math.abs(value - limit) / s;
    case "!=":
      return Math.abs(value - limit) / s;
  }
}

/** Each run's margins, threshold by threshold: margins(scenario, digests)[t][run]. */
function runMargins(scenario: Scenario, digests: readonly RunDigest[]): number[][] {
  return scenario.thresholds.map((spec, t) =>
    digests.map((d) => relativeMargin(d.thresholds[t], spec.operator as Operator, spec.value)),
  );
}

/** The index of the threshold with the least room at the point (the first on ties). */
export function bindingThreshold(record: Evaluated): number {
  const margins = runMargins(record.scenario, record.digests).map((m) => estimate(m).mean);
  let worst = 0;
  margins.forEach((m, i) => {
    if (m < margins[worst]) worst = i;
  });
  return worst;
}

/** Margin on `from`'s binding threshold gained at `to`, seed by seed over the seeds both ran. */
export function marginGain(from: Evaluated, to: Evaluated): number {
  const t = bindingThreshold(from);
  const a = runMargins(from.scenario, from.digests)[t];
  const b = runMargins(to.scenario, to.digests)[t];
  const n = Math.min(a.length, b.length);
  let total = 0;
  for (let i = 0; i < n; i++) total += b[i] - a[i];
  return n > 0 ? total / n : 0;
}

function ci(lo: number, hi: number): Ci95 {
  return [roundSig(Math.min(lo, hi)), roundSig(Math.max(lo, hi))];
}

/** Threshold `t` at a point: its figure and margin, each with its interval. */
export function thresholdMargin(record: Evaluated, t: number): ThresholdMargin {
  const spec = record.scenario.thresholds[t];
  const operator = spec.operator as Operator;
  const e = estimate(record.digests.map((d) => d.thresholds[t]));
  const m = (x: number) => relativeMargin(x, operator, spec.value);
  return {
    metric: spec.load === null ? spec.metric : `${spec.metric}{load:${spec.load}}`,
    expression: spec.expression,
    limit: spec.value,
    value: roundSig(e.mean),
    valueCi95: e.ci95 === null ? null : ci(e.ci95[0], e.ci95[1]),
    margin: roundSig(m(e.mean)),
    marginCi95: e.ci95 === null ? null : ci(m(e.ci95[0]), m(e.ci95[1])),
  };
}
