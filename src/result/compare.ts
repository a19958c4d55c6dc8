// What `meshsim compare` returns (run/compare.ts): per variant, each load's figures summarised
// over the seeds, and every run's full result. Types only.
import type { RunResult } from "./run.ts";

export interface LoadSummary {
  load: string;
  offered: number;
  /** Failed over finished requests, all seeds together. */
  errorRate: number;
  /** Means over seeds of each run's figure; max is the largest of any run. */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
}

export interface VariantOutcome {
  name: string;
  set: Record<string, unknown>;
  loads: LoadSummary[];
  /** The largest busiest-over-mean imbalance of any balanced edge, mean over seeds. */
  maxImbalance: number;
  /** Cache hits over lookups across every cached service and seed, or null without caches. */
  cacheHitRatio: number | null;
  results: RunResult[];
}

export interface Comparison {
  scenario: string;
  seeds: number[];
  variants: VariantOutcome[];
}
