// What `meshsim compare` prints with --json and compare() returns (shared/SCENARIO.md: extend,
// never rename): per variant, each load's figures over the seeds with their intervals (experiment.ts
// has the figure types, shared with sweep), every run's full result, and the paired differences
// (variant − baseline, seed by seed) against the baseline with their intervals and verdicts. Types only.
import type {
  Ci95,
  LoadFigures,
  PrecisionOutcome,
  ServiceFigures,
  ThresholdFigure,
} from "./experiment.ts";
import type { RunResult } from "./run.ts";

export type DiffVerdict = "better" | "worse" | "no significant difference";

/** Paired differences (variant − baseline, seed by seed) of latency figures, each with its interval and verdict. */
export interface LatencyDiff {
  mean: number;
  meanCi95: Ci95;
  meanVerdict: DiffVerdict | null;
  p50: number;
  p50Ci95: Ci95;
  p50Verdict: DiffVerdict | null;
  p90: number;
  p90Ci95: Ci95;
  p90Verdict: DiffVerdict | null;
  p99: number;
  p99Ci95: Ci95;
  p99Verdict: DiffVerdict | null;
  p999: number;
  p999Ci95: Ci95;
  p999Verdict: DiffVerdict | null;
}

export interface LoadDiff {
  load: string;
  errorRate: number;
  errorRateCi95: Ci95;
  errorRateVerdict: DiffVerdict | null;
  latencyMs: LatencyDiff;
  throughputPerS: number;
  throughputPerSCi95: Ci95;
  throughputPerSVerdict: DiffVerdict | null;
}

export interface VariantDiff {
  baseline: string;
  /** Seeds paired (both ran each of them). */
  seeds: number;
  loads: LoadDiff[];
  services: Record<string, { utilization: number; utilizationCi95: Ci95 }>;
}

/** A compare variant's load: its name first (compare lists loads, where sweep keys them by name). */
export interface LoadSummary extends LoadFigures {
  load: string;
}

export interface VariantOutcome {
  name: string;
  set: Record<string, unknown>;
  loads: LoadSummary[];
  /** The largest busiest-over-mean imbalance of any balanced edge, mean over seeds. */
  maxImbalance: number;
  maxImbalanceCi95: Ci95;
  /** Cache hits over lookups across every cached service and seed, or null without caches. */
  cacheHitRatio: number | null;
  services: Record<string, ServiceFigures>;
  thresholds: ThresholdFigure[];
  precision: PrecisionOutcome | null;
  /** The paired difference against the baseline; null for the baseline itself. */
  diff: VariantDiff | null;
  /** Each seed's run result, as `meshsim run --json` prints it. */
  results: RunResult[];
}

export interface Comparison {
  scenario: string;
  seeds: number[];
  baseline: string;
  variants: VariantOutcome[];
}
