// The business ledger's figures of a comparison, shared by the terminal, compare.md and
// report.html: per variant the anomalies (double charges, charges without an order, orphaned
// reservations, lost events), what the safeguards did (compensations and their retries, saga
// outcomes when any variant ran a saga, duplicates absorbed) and the inconsistency window, each the mean over seeds ± the
// half-width of its 95% interval; then the anomalies' paired differences against the baseline.
// Empty when no variant declares effects.
import type { Comparison, TransactionDiff, TransactionFigures } from "../../result/compare.ts";
import type { Ci95 } from "../../result/experiment.ts";
import { diffCell, plusMinus } from "../terminal/experimentCells.ts";
import { formatMs } from "./summaryRows.ts";
import { groupThousands, type TextTable } from "./tables.ts";

/** Whether any variant's scenario declares effects (the section is shown only then). */
export function hasTransactions(comparison: Comparison): boolean {
  return comparison.variants.some((v) => v.transactions !== undefined);
}

const count = (x: number) => groupThousands(Number(x.toPrecision(4)));
const cell = (value: number, ci: Ci95) => plusMinus(value, ci, count);
const ms = (value: number, ci: Ci95) => plusMinus(value, ci, formatMs);

function rowsOf(
  comparison: Comparison,
  row: (t: TransactionFigures) => string[],
  width: number,
): string[][] {
  return comparison.variants.map((v) =>
    v.transactions === undefined
      ? [v.name, ...Array(width).fill("—")]
      : [v.name, ...row(v.transactions)],
  );
}

const column = (title: string) => ({ title, numeric: true });

/** One row per variant: the anomalies the ledger counted. */
export function anomalyTable(comparison: Comparison): TextTable {
  return {
    columns: [
      { title: "variant" },
      column("orders (all seeds)"),
      column("double charges"),
      column("per 1000 orders"),
      column("charged twice (money)"),
      column("charges without order"),
      column("orphaned reservations"),
      column("lost events"),
    ],
    rows: rowsOf(
      comparison,
      (t) => [
        groupThousands(t.orders),
        cell(t.doubleCharges, t.doubleChargesCi95),
        cell(t.doubleChargesPerThousand, t.doubleChargesPerThousandCi95),
        cell(t.duplicateAmount, t.duplicateAmountCi95),
        cell(t.chargesWithoutOrder, t.chargesWithoutOrderCi95),
        cell(t.orphanedReservations, t.orphanedReservationsCi95),
        cell(t.lostEvents, t.lostEventsCi95),
      ],
      7,
    ),
  };
}

/** Whether any variant ran a saga (the saga columns are left out otherwise, rather than zeros). */
function ranSagas(comparison: Comparison): boolean {
  return comparison.variants.some((v) => {
    const t = v.transactions;
    if (t === undefined) return false;
    return t.sagas.completed + t.sagas.compensated + t.sagas.timedOut + t.compensationRetries > 0;
  });
}

/** One row per variant: what compensations, sagas and duplicate suppression did, and the window. */
export function recoveryTable(comparison: Comparison): TextTable {
  const sagas = ranSagas(comparison);
  const sagaColumns = sagas
    ? [
        column("compensation retries"),
        column("sagas completed"),
        column("sagas compensated"),
        column("sagas timed out"),
      ]
    : [];
  return {
    columns: [
      { title: "variant" },
      column("compensations"),
      ...sagaColumns,
      column("idempotency replays"),
      column("409 refusals"),
      column("consumer dedup"),
      column("window p50 ms"),
      column("window p99 ms"),
      column("window max ms"),
    ],
    rows: rowsOf(
      comparison,
      (t) => [
        cell(t.compensations, t.compensationsCi95),
        ...(sagas
          ? [
              cell(t.compensationRetries, t.compensationRetriesCi95),
              cell(t.sagas.completed, t.sagas.completedCi95),
              cell(t.sagas.compensated, t.sagas.compensatedCi95),
              cell(t.sagas.timedOut, t.sagas.timedOutCi95),
            ]
          : []),
        cell(t.duplicatesAbsorbed.replayed, t.duplicatesAbsorbed.replayedCi95),
        cell(t.duplicatesAbsorbed.conflicts, t.duplicatesAbsorbed.conflictsCi95),
        cell(t.duplicatesAbsorbed.consumerDedup, t.duplicatesAbsorbed.consumerDedupCi95),
        ms(t.inconsistencyWindowMs.p50, t.inconsistencyWindowMs.p50Ci95),
        ms(t.inconsistencyWindowMs.p99, t.inconsistencyWindowMs.p99Ci95),
        formatMs(t.inconsistencyWindowMs.max),
      ],
      sagas ? 11 : 7,
    ),
  };
}

const DIFF_COLUMNS: [keyof TransactionDiff & string, string, (x: number) => string][] = [
  ["doubleCharges", "Δ double charges", count],
  ["doubleChargesPerThousand", "Δ per 1000", count],
  ["duplicateAmount", "Δ money", count],
  ["chargesWithoutOrder", "Δ without order", count],
  ["orphanedReservations", "Δ orphaned", count],
  ["compensations", "Δ compensations", count],
  ["compensationRetries", "Δ comp. retries", count],
  ["sagasTimedOut", "Δ sagas timed out", count],
  ["lostEvents", "Δ lost events", count],
  ["inconsistencyWindowP99Ms", "Δ window p99 ms", formatMs],
];

/** One row per variant but the baseline: each anomaly's paired difference and verdict. */
export function transactionDiffTable(comparison: Comparison): TextTable | null {
  const rows = comparison.variants.flatMap((v) => {
    const d = v.diff?.transactions;
    if (d === undefined) return [];
    const record = d as unknown as Record<string, unknown>;
    return [
      [
        v.name,
        ...DIFF_COLUMNS.map(([key, , format]) =>
          diffCell(
            record[key] as number,
            record[`${key}Ci95`] as Ci95,
            record[`${key}Verdict`] as Parameters<typeof diffCell>[2],
            format,
          ),
        ),
      ],
    ];
  });
  if (rows.length === 0) return null;
  return {
    columns: [{ title: "variant" }, ...DIFF_COLUMNS.map(([, title]) => column(title))],
    rows,
  };
}

export const TRANSACTION_ANOMALIES_TEXT =
  "What the business lost, from the simulator's ground truth of every effect that happened, whether or not its caller heard: orders charged more than once net of refunds (double charges, also per thousand orders, and the money charged twice), orders that ended cancelled or failed with the card charged and not refunded, stock still reserved for an order that ended cancelled (orphaned reservations), and events lost between a producer's commit and the broker. Orders are over all seeds together; every other figure is the mean over seeds.";

export const TRANSACTION_RECOVERY_TEXT =
  "What the safeguards did: compensating effects applied (refunds, releases, cancellations) and the compensation tries beyond each one's first, how the sagas ended, duplicates kept from acting twice (replayed from the idempotency store, refused with 409 while the first was in progress, dropped by consumer dedup), and the inconsistency window (from an order's first effect until every participant holds its final state) as percentiles over orders, mean over seeds (max: the largest of any run).";
