// The figures of one point (or variant) over its replications: each as the mean of the per-run
// values with a 95% t interval, the pooled percentiles of all runs' requests from the merged
// histograms, the thresholds judged on their intervals, and the paired differences of a variant
// against the baseline. Quantiles are averaged per replication because each run's p99 is one
// independent observation (the t interval needs that); the pooled p99 has no such interval.
import type { DiffVerdict, LatencyDiff, LoadDiff, VariantDiff } from "../result/compare.ts";
import type {
  Ci95,
  LatencyFigures,
  LoadFigures,
  PooledLatency,
  ServiceFigures,
  ThresholdFigure,
} from "../result/experiment.ts";
import type { EncodedHistogram } from "../result/histograms.ts";
import type { LatencySummary } from "../result/latency.ts";
import { roundSig } from "../result/round.ts";
import { mergedSummary } from "../run/histograms.ts";
import type { RunDigest } from "./digest.ts";
import type { Scenario } from "./source.ts";
import {
  type Estimate,
  estimate,
  type Operator,
  pairedDifference,
  thresholdVerdict,
  verdictOf,
} from "./statistics.ts";

export const PERCENTILES = ["mean", "p50", "p90", "p99", "p999"] as const;
export type LatencyFigure = (typeof PERCENTILES)[number];

export function ci(e: Estimate): Ci95 {
  return e.ci95 === null ? null : [roundSig(e.ci95[0]), roundSig(e.ci95[1])];
}

export function latencyFigures(summaries: readonly LatencySummary[]): LatencyFigures {
  const e = (key: LatencyFigure) => estimate(summaries.map((s) => s[key]));
  const [mean, p50, p90, p99, p999] = PERCENTILES.map(e);
  return {
    mean: roundSig(mean.mean),
    meanCi95: ci(mean),
    p50: roundSig(p50.mean),
    p50Ci95: ci(p50),
    p90: roundSig(p90.mean),
    p90Ci95: ci(p90),
    p99: roundSig(p99.mean),
    p99Ci95: ci(p99),
    p999: roundSig(p999.mean),
    p999Ci95: ci(p999),
    max: Math.max(...summaries.map((s) => s.max)),
  };
}

/** Merges the runs' histograms in run order (so the pooled sum is added in one fixed order). */
export function pooledLatency(histograms: readonly EncodedHistogram[]): PooledLatency {
  const s = mergedSummary(histograms);
  return { mean: s.mean, p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max };
}

export function loadFigures(runs: readonly RunDigest[], index: number): LoadFigures {
  const loads = runs.map((r) => r.loads[index]);
  const errorRate = estimate(loads.map((l) => l.errorRate));
  const throughput = estimate(loads.map((l) => l.throughputPerS));
  let offered = 0;
  for (const l of loads) offered += l.offered;
  return {
    offered,
    errorRate: roundSig(errorRate.mean),
    errorRateCi95: ci(errorRate),
    latencyMs: latencyFigures(loads.map((l) => l.latency)),
    pooledLatencyMs: pooledLatency(loads.map((l) => l.histogram)),
    throughputPerS: roundSig(throughput.mean),
    throughputPerSCi95: ci(throughput),
  };
}

export function serviceFigures(runs: readonly RunDigest[], index: number): ServiceFigures {
  const services = runs.map((r) => r.services[index]);
  const utilization = estimate(services.map((s) => s.utilization));
  return {
    utilization: roundSig(utilization.mean),
    utilizationCi95: ci(utilization),
    latencyMs: latencyFigures(services.map((s) => s.latency)),
    pooledLatencyMs: pooledLatency(services.map((s) => s.histogram)),
  };
}

export function byName<T>(
  runs: readonly RunDigest[],
  part: "loads" | "services",
  figures: (runs: readonly RunDigest[], index: number) => T,
): Record<string, T> {
  return Object.fromEntries(runs[0][part].map((item, i) => [item.name, figures(runs, i)]));
}

export function thresholdFigures(
  scenario: Scenario,
  runs: readonly RunDigest[],
): ThresholdFigure[] {
  return scenario.thresholds.map((spec, i) => {
    const e = estimate(runs.map((r) => r.thresholds[i]));
    return {
      metric: spec.load === null ? spec.metric : `${spec.metric}{load:${spec.load}}`,
      expression: spec.expression,
      limit: spec.value,
      value: roundSig(e.mean),
      valueCi95: ci(e),
      verdict: thresholdVerdict(e, spec.operator as Operator, spec.value),
    };
  });
}

export function imbalance(runs: readonly RunDigest[]): { value: number; ci95: Ci95 } {
  const e = estimate(runs.map((r) => r.maxImbalance));
  return { value: roundSig(e.mean), ci95: ci(e) };
}

/** Hits over lookups across every cached service and run, or null when no service has a cache. */
export function cacheHitRatio(runs: readonly RunDigest[]): number | null {
  if (!runs.some((r) => r.hasCache)) return null;
  let hits = 0;
  let lookups = 0;
  for (const r of runs) {
    hits += r.cacheHits;
    lookups += r.cacheLookups;
  }
  return lookups > 0 ? roundSig(hits / lookups) : 0;
}

/** Estimates of the figures the precision rule watches: each load's mean and p99 latency. */
export function watchedEstimates(runs: readonly RunDigest[]): Estimate[] {
  return runs[0].loads.flatMap((_, i) => [
    estimate(runs.map((r) => r.loads[i].latency.mean)),
    estimate(runs.map((r) => r.loads[i].latency.p99)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Paired differences against a baseline, seed by seed.

export interface Paired {
  value: number;
  ci95: Ci95;
  verdict: DiffVerdict | null;
}

export function paired(base: number[], variant: number[], lowerIsBetter: boolean): Paired {
  const d = pairedDifference(base, variant);
  // A mean difference within float noise of the figures themselves is 0, not +2.8e-14.
  let scale = 0;
  for (const x of [...base, ...variant]) scale = Math.max(scale, Math.abs(x));
  const value = Math.abs(d.mean) <= 1e-12 * scale ? 0 : roundSig(d.mean);
  return { value, ci95: ci(d), verdict: verdictOf(d, lowerIsBetter) };
}

function latencyDiff(base: LatencySummary[], variant: LatencySummary[]): LatencyDiff {
  const [mean, p50, p90, p99, p999] = PERCENTILES.map((key) =>
    paired(
      base.map((s) => s[key]),
      variant.map((s) => s[key]),
      true,
    ),
  );
  return {
    mean: mean.value,
    meanCi95: mean.ci95,
    meanVerdict: mean.verdict,
    p50: p50.value,
    p50Ci95: p50.ci95,
    p50Verdict: p50.verdict,
    p90: p90.value,
    p90Ci95: p90.ci95,
    p90Verdict: p90.verdict,
    p99: p99.value,
    p99Ci95: p99.ci95,
    p99Verdict: p99.verdict,
    p999: p999.value,
    p999Ci95: p999.ci95,
    p999Verdict: p999.verdict,
  };
}

/** variant − baseline over the seeds both ran (the first min(n_base, n_variant) seeds). */
export function variantDiff(
  baselineName: string,
  baseline: readonly RunDigest[],
  variant: readonly RunDigest[],
): VariantDiff {
  const n = Math.min(baseline.length, variant.length);
  const base = baseline.slice(0, n);
  const runs = variant.slice(0, n);
  const loads = base[0].loads.map((load, i): LoadDiff => {
    const b = base.map((r) => r.loads[i]);
    const v = runs.map((r) => r.loads[i]);
    const errorRate = paired(
      b.map((l) => l.errorRate),
      v.map((l) => l.errorRate),
      true,
    );
    const throughput = paired(
      b.map((l) => l.throughputPerS),
      v.map((l) => l.throughputPerS),
      false,
    );
    return {
      load: load.name,
      errorRate: errorRate.value,
      errorRateCi95: errorRate.ci95,
      errorRateVerdict: errorRate.verdict,
      latencyMs: latencyDiff(
        b.map((l) => l.latency),
        v.map((l) => l.latency),
      ),
      throughputPerS: throughput.value,
      throughputPerSCi95: throughput.ci95,
      throughputPerSVerdict: throughput.verdict,
    };
  });
  const services = Object.fromEntries(
    base[0].services.map((service, i) => {
      const u = pairedDifference(
        base.map((r) => r.services[i].utilization),
        runs.map((r) => r.services[i].utilization),
      );
      return [service.name, { utilization: roundSig(u.mean), utilizationCi95: ci(u) }];
    }),
  );
  return { baseline: baselineName, seeds: n, loads, services };
}
