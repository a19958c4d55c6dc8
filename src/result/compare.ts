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
  /** The business ledger's anomalies, when both the variant and the baseline declare effects. */
  transactions?: TransactionDiff;
}

/**
 * The business ledger's figures of a variant (present when its scenario declares effects), each
 * the mean over seeds of the run's figure with its 95% interval; `orders` is over all seeds together.
 */
export interface TransactionFigures {
  orders: number;
  doubleCharges: number;
  doubleChargesCi95: Ci95;
  doubleChargesPerThousand: number;
  doubleChargesPerThousandCi95: Ci95;
  /** Money charged twice (the run's duplicateAmount). */
  duplicateAmount: number;
  duplicateAmountCi95: Ci95;
  chargesWithoutOrder: number;
  chargesWithoutOrderCi95: Ci95;
  orphanedReservations: number;
  orphanedReservationsCi95: Ci95;
  compensations: number;
  compensationsCi95: Ci95;
  /** Compensation tries beyond each compensation's first (0 without sagas). */
  compensationRetries: number;
  compensationRetriesCi95: Ci95;
  sagas: {
    completed: number;
    completedCi95: Ci95;
    compensated: number;
    compensatedCi95: Ci95;
    timedOut: number;
    timedOutCi95: Ci95;
  };
  /** Duplicates kept from acting twice: idempotency replays, 409 refusals, consumer dedup. */
  duplicatesAbsorbed: {
    replayed: number;
    replayedCi95: Ci95;
    conflicts: number;
    conflictsCi95: Ci95;
    consumerDedup: number;
    consumerDedupCi95: Ci95;
  };
  /** Events lost between a producer's commit and the broker (0 without messaging). */
  lostEvents: number;
  lostEventsCi95: Ci95;
  /** TCC Tries that arrived after their Cancel and held their reservation (0 without TCC). */
  hangingTries: number;
  hangingTriesCi95: Ci95;
  /** Means over seeds of each run's window percentiles; max is the largest of any run. */
  inconsistencyWindowMs: {
    p50: number;
    p50Ci95: Ci95;
    p99: number;
    p99Ci95: Ci95;
    max: number;
  };
}

/** The figures of the ledger that paired differences are taken of (lower is better for each). */
export type TransactionDiffFigure =
  | "doubleCharges"
  | "doubleChargesPerThousand"
  | "duplicateAmount"
  | "chargesWithoutOrder"
  | "orphanedReservations"
  | "compensations"
  | "compensationRetries"
  | "sagasTimedOut"
  | "lostEvents"
  | "inconsistencyWindowP99Ms";

/** variant − baseline of each ledger figure, seed by seed, with its interval and verdict. */
export type TransactionDiff = Record<TransactionDiffFigure, number> &
  Record<`${TransactionDiffFigure}Ci95`, Ci95> &
  Record<`${TransactionDiffFigure}Verdict`, DiffVerdict | null>;

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
  /** The business ledger's figures over the seeds, when the variant's scenario declares effects. */
  transactions?: TransactionFigures;
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
