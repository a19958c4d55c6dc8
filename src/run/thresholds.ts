// k6-style thresholds: each expression on `latency` or `errors` (for all loads, or one load by
// its `{load:name}` tag) passes or fails; a failed one makes `meshsim run` exit 99, as k6 does.
// Latency aggregates come from the histogram (p(N) within its error bound); `rate` is failed
// requests over finished ones.
import { LatencyHistogram } from "../observe/histogram.ts";
import type { RunStats } from "../observe/runStats.ts";
import { roundSig } from "../result/round.ts";
import type { ThresholdResult } from "../result/run.ts";
import type { ComparisonOperator, Scenario, ThresholdSpec } from "../scenario/types.ts";

export function evaluateThresholds(scenario: Scenario, stats: RunStats): ThresholdResult[] {
  return scenario.thresholds.map((spec) => {
    const indices = scenario.load.flatMap((load, i) =>
      spec.load === null || spec.load === load.name ? [i] : [],
    );
    const actual = roundSig(
      spec.metric === "latency"
        ? latencyAggregate(spec, stats, indices)
        : errorRate(stats, indices),
    );
    const metric = spec.load === null ? spec.metric : `${spec.metric}{load:${spec.load}}`;
    return {
      metric,
      expression: spec.expression,
      actual,
      ok: compare(actual, spec.operator, spec.value),
    };
  });
}

function latencyAggregate(spec: ThresholdSpec, stats: RunStats, indices: number[]): number {
  const merged = new LatencyHistogram();
  for (const i of indices) merged.merge(stats.loads[i].latency);
  const percentile = /^p\((.+)\)$/.exec(spec.aggregate);
  if (percentile) return merged.quantile(Number(percentile[1]) / 100);
  switch (spec.aggregate) {
    case "avg":
      return merged.mean;
    case "min":
      return merged.min;
    case "max":
      return merged.max;
    case "med":
      return merged.quantile(0.5);
  }
  throw new Error(`unknown latency aggregate ${spec.aggregate}`);
}

function errorRate(stats: RunStats, indices: number[]): number {
  let failed = 0;
  let finished = 0;
  for (const i of indices) {
    failed += stats.loads[i].failed;
    finished += stats.loads[i].failed + stats.loads[i].completed;
  }
  return finished > 0 ? failed / finished : 0;
}

/** Whether `actual` passes `operator value` (k6's comparison). */
export function compare(actual: number, operator: ComparisonOperator, value: number): boolean {
  switch (operator) {
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
    case "==":
      return actual === value;
    case "!=":
      return actual !== value;
  }
}
