// The business ledger's figures of a compare variant over its seeds (result/compare.ts's
// TransactionFigures): each run's figure averaged with its 95% t interval, as every other figure
// of an experiment, and the paired differences of the anomalies against the baseline, seed by seed.
// Nothing when the variant's scenario declares no effects.

import type {
  TransactionDiff,
  TransactionDiffFigure,
  TransactionFigures,
} from "../result/compare.ts";
import type { Ci95 } from "../result/experiment.ts";
import { roundSig } from "../result/round.ts";
import type { RunDigest, TransactionDigest } from "./digest.ts";
import { ci, paired } from "./figures.ts";
import { estimate } from "./statistics.ts";

const DIFF_FIGURES: readonly TransactionDiffFigure[] = [
  "doubleCharges",
  "doubleChargesPerThousand",
  "duplicateAmount",
  "chargesWithoutOrder",
  "orphanedReservations",
  "compensations",
  "compensationRetries",
  "sagasTimedOut",
  "lostEvents",
  "inconsistencyWindowP99Ms",
];

/** The digests' ledgers, or null when any run has none (no effects declared). */
function ledgers(runs: readonly RunDigest[]): TransactionDigest[] | null {
  const out: TransactionDigest[] = [];
  for (const r of runs) {
    if (r.transactions === null) return null;
    out.push(r.transactions);
  }
  return out.length === 0 ? null : out;
}

export function transactionFigures(runs: readonly RunDigest[]): TransactionFigures | null {
  const t = ledgers(runs);
  if (t === null) return null;
  const mean = (key: keyof TransactionDigest): [number, Ci95] => {
    const e = estimate(t.map((d) => d[key]));
    return [roundSig(e.mean), ci(e)];
  };
  const [doubleCharges, doubleChargesCi95] = mean("doubleCharges");
  const [perThousand, perThousandCi95] = mean("doubleChargesPerThousand");
  const [amount, amountCi95] = mean("duplicateAmount");
  const [withoutOrder, withoutOrderCi95] = mean("chargesWithoutOrder");
  const [orphaned, orphanedCi95] = mean("orphanedReservations");
  const [compensations, compensationsCi95] = mean("compensations");
  const [retries, retriesCi95] = mean("compensationRetries");
  const [completed, completedCi95] = mean("sagasCompleted");
  const [compensated, compensatedCi95] = mean("sagasCompensated");
  const [timedOut, timedOutCi95] = mean("sagasTimedOut");
  const [replayed, replayedCi95] = mean("replayed");
  const [conflicts, conflictsCi95] = mean("conflicts");
  const [dedup, dedupCi95] = mean("consumerDedup");
  const [lost, lostCi95] = mean("lostEvents");
  const [hanging, hangingCi95] = mean("hangingTries");
  const [p50, p50Ci95] = mean("inconsistencyWindowP50Ms");
  const [p99, p99Ci95] = mean("inconsistencyWindowP99Ms");
  return {
    orders: t.reduce((sum, d) => sum + d.orders, 0),
    doubleCharges,
    doubleChargesCi95,
    doubleChargesPerThousand: perThousand,
    doubleChargesPerThousandCi95: perThousandCi95,
    duplicateAmount: amount,
    duplicateAmountCi95: amountCi95,
    chargesWithoutOrder: withoutOrder,
    chargesWithoutOrderCi95: withoutOrderCi95,
    orphanedReservations: orphaned,
    orphanedReservationsCi95: orphanedCi95,
    compensations,
    compensationsCi95,
    compensationRetries: retries,
    compensationRetriesCi95: retriesCi95,
    sagas: { completed, completedCi95, compensated, compensatedCi95, timedOut, timedOutCi95 },
    duplicatesAbsorbed: {
      replayed,
      replayedCi95,
      conflicts,
      conflictsCi95,
      consumerDedup: dedup,
      consumerDedupCi95: dedupCi95,
    },
    lostEvents: lost,
    lostEventsCi95: lostCi95,
    hangingTries: hanging,
    hangingTriesCi95: hangingCi95,
    inconsistencyWindowMs: {
      p50,
      p50Ci95,
      p99,
      p99Ci95,
      max: Math.max(...t.map((d) => d.inconsistencyWindowMaxMs)),
    },
  };
}

/** variant − baseline of each anomaly over the paired seeds, or null unless both have ledgers. */
export function transactionDiff(
  baseline: readonly RunDigest[],
  variant: readonly RunDigest[],
): TransactionDiff | null {
  const b = ledgers(baseline);
  const v = ledgers(variant);
  if (b === null || v === null) return null;
  const diff: Record<string, unknown> = {};
  for (const key of DIFF_FIGURES) {
    const d = paired(
      b.map((x) => x[key]),
      v.map((x) => x[key]),
      true,
    );
    diff[key] = d.value;
    diff[`${key}Ci95`] = d.ci95;
    diff[`${key}Verdict`] = d.verdict;
  }
  return diff as TransactionDiff;
}
