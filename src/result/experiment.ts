// What `meshsim sweep` prints with --json, and the figures every experiment reports per point or
// variant (shared/SCENARIO.md: extend, never rename): each figure as the mean over its replications
// with a 95% Student t interval beside it (`...Ci95`, null with one seed), the pooled percentiles of
// all replications' requests together, and the thresholds judged on their intervals. Plain data
// with a fixed key order, figures to 6 digits. Types only; compare.ts has the comparison's.

/** [lo, hi] of a 95% interval, or null when there is none (a single replication). */
export type Ci95 = [number, number] | null;

/** Means over replications of each run's latency figure, each with its interval; max is the largest of any run. */
export interface LatencyFigures {
  mean: number;
  meanCi95: Ci95;
  p50: number;
  p50Ci95: Ci95;
  p90: number;
  p90Ci95: Ci95;
  p99: number;
  p99Ci95: Ci95;
  p999: number;
  p999Ci95: Ci95;
  max: number;
}

/** The percentiles of every replication's requests together (merged histograms): exact, no interval. */
export interface PooledLatency {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadFigures {
  /** Requests offered over all the replications together. */
  offered: number;
  /** Mean over replications of failed over finished requests. */
  errorRate: number;
  errorRateCi95: Ci95;
  latencyMs: LatencyFigures;
  pooledLatencyMs: PooledLatency;
  /** Mean over replications of completed requests per simulated second after warm-up. */
  throughputPerS: number;
  throughputPerSCi95: Ci95;
}

export interface ServiceFigures {
  utilization: number;
  utilizationCi95: Ci95;
  latencyMs: LatencyFigures;
  pooledLatencyMs: PooledLatency;
}

export type ThresholdVerdict = "pass" | "fail" | "undecided";

/** A k6 threshold judged on the interval of its figure over replications. */
export interface ThresholdFigure {
  metric: string;
  expression: string;
  /** The threshold's limit: milliseconds for latency, a fraction for errors. */
  limit: number;
  value: number;
  valueCi95: Ci95;
  verdict: ThresholdVerdict;
}

/** Whether sequential replication reached the requested precision on every watched figure. */
export interface PrecisionOutcome {
  /** The half-width asked for, relative to the figure. */
  target: number;
  reached: boolean;
  /** The widest relative half-width among the watched figures (null without an interval). */
  worst: number | null;
}

export interface SweepPoint {
  set: Record<string, unknown>;
  /** Replications run, seeds firstSeed .. firstSeed + seeds − 1. */
  seeds: number;
  precision: PrecisionOutcome | null;
  loads: Record<string, LoadFigures>;
  services: Record<string, ServiceFigures>;
  thresholds: ThresholdFigure[];
}

export interface Sweep {
  scenario: string;
  /** The varied paths and their values, in --vary order (the first varies slowest). */
  vary: { path: string; values: unknown[] }[];
  zip: boolean;
  firstSeed: number;
  points: SweepPoint[];
}
