// The Transactions charts of the run and compare reports: the anomalies the business ledger
// counted by kind, the effects applied by kind, how the sagas and TCC transactions ended, and the
// inconsistency window's percentiles; in the compare report each as grouped bars per variant.
// Bars over categories, not time: the ledger keeps counts and percentiles, not series.
import type { Comparison } from "../../../result/compare.ts";
import type { TransactionsResult } from "../../../result/transactions.ts";
import { groupThousands } from "../../sections/tables.ts";
import { type Chart, CONFIG, WIDTH } from "./common.ts";

interface Bar {
  kind: string;
  value: number;
  label: string;
}

interface GroupedBar extends Bar {
  variant: string;
}

const countLabel = (x: number) => groupThousands(Number(x.toPrecision(4)));

/** One horizontal bar per category, its count written beside it. */
function bars(id: string, title: string, explanation: string, rows: Bar[], xTitle: string): Chart {
  const y = {
    field: "kind",
    type: "nominal" as const,
    title: null,
    sort: rows.map((r) => r.kind),
    axis: { labelLimit: 200 },
  };
  const x = { field: "value", type: "quantitative" as const, title: xTitle };
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: WIDTH - 200,
      height: { step: 22 },
      data: { values: rows },
      layer: [
        { mark: { type: "bar", color: "#4c78a8" }, encoding: { y, x } },
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
          encoding: { y, x, text: { field: "label" } },
        },
      ],
    },
  };
}

/** One group of bars per category, one bar per variant. */
function groupedBars(
  id: string,
  title: string,
  explanation: string,
  rows: GroupedBar[],
  variants: string[],
  xTitle: string,
): Chart {
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const y = {
    field: "kind",
    type: "nominal" as const,
    title: null,
    sort: kinds,
    axis: { labelLimit: 200 },
  };
  const yOffset = { field: "variant", type: "nominal" as const, sort: variants };
  const x = { field: "value", type: "quantitative" as const, title: xTitle };
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: WIDTH - 260,
      height: { step: 12 },
      data: { values: rows },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y,
            yOffset,
            x,
            color: {
              field: "variant",
              type: "nominal" as const,
              title: "variant",
              sort: variants,
              scale: { scheme: "tableau10" },
            },
          },
        },
        {
          mark: { type: "text", align: "left", dx: 3, fontSize: 9 },
          encoding: { y, yOffset, x, text: { field: "label" } },
        },
      ],
    },
  };
}

const bar = (kind: string, value: number): Bar => ({ kind, value, label: countLabel(value) });

/** The anomalies of one run's ledger by kind (the TCC and broker ones only where they exist). */
function anomalyBars(t: TransactionsResult): Bar[] {
  return [
    bar("double charges", t.doubleCharges),
    bar("duplicate charges", t.duplicateCharges),
    bar("charges without order", t.chargesWithoutOrder),
    bar("orphaned reservations", t.orphanedReservations),
    ...(t.compensationTries === undefined ? [] : [bar("sagas timed out", t.sagas.timedOut)]),
    ...(t.tcc === undefined ? [] : [bar("hanging Tries", t.tcc.hangingTries)]),
    ...(t.messaging === undefined ? [] : [bar("lost events", t.messaging.lostEvents)]),
  ];
}

export function anomaliesChart(t: TransactionsResult): Chart {
  return bars(
    "transactions-anomalies",
    "Business anomalies by kind",
    "Each bar counts the measured orders (after the warm-up) that ended with one kind of anomaly, from the simulator's ground truth of every effect that happened, whether or not its caller heard: charged more than once net of refunds (double charges; duplicate charges counts the extra charges themselves), charged but ended cancelled or failed and not refunded, stock still reserved for an order that ended cancelled, and, where the scenario has them, sagas that outran their timeout, TCC Tries that arrived after their Cancel and held stock, and events lost before the broker. Every bar at 0 is a ledger that balanced.",
    anomalyBars(t),
    "orders",
  );
}

export function effectsChart(t: TransactionsResult): Chart {
  const e = t.effects;
  return bars(
    "transactions-effects",
    "Effects applied by kind",
    "What the operations did to business state over the measured orders: orders created and cancelled, stock reserved and released, cards charged and refunded. Compensations show here as refunds, releases and cancellations; a retry without an idempotency key shows as more charges than orders created.",
    [
      bar("create", e.create),
      bar("reserve", e.reserve),
      bar("charge", e.charge),
      bar("cancel", e.cancel),
      bar("release", e.release),
      bar("refund", e.refund),
    ],
    "effects",
  );
}

/** How the sagas and TCC transactions ended; null when the scenario declares neither. */
export function outcomesChart(t: TransactionsResult): Chart | null {
  const rows: Bar[] = [];
  if (t.compensationTries !== undefined)
    rows.push(
      bar("saga completed", t.sagas.completed),
      bar("saga compensated", t.sagas.compensated),
      bar("saga timed out", t.sagas.timedOut),
      bar("saga failed to compensate", t.sagas.compensationFailed ?? 0),
    );
  if (t.tcc !== undefined)
    rows.push(
      bar("TCC committed", t.tcc.committed),
      bar("TCC rolled back", t.tcc.rolledBack),
      bar("TCC timed out", t.tcc.timedOut),
      bar("TCC phase two failed", t.tcc.phaseTwoFailed),
    );
  if (rows.length === 0) return null;
  return bars(
    "transactions-outcomes",
    "How the transactions ended",
    "Each measured saga ends completed (every step succeeded), compensated (a step failed and the completed steps were undone in reverse), timed out (neither within the saga's timeout) or failed to compensate (a compensation ran out of tries); each TCC transaction commits (every participant's Confirm), rolls back (a Try failed, every Cancel ran), times out, or has its phase two fail. Compensated and rolled back are the designed way out; timed out and failed leave the business to a human.",
    rows,
    "transactions",
  );
}

export function windowChart(t: TransactionsResult): Chart {
  const w = t.inconsistencyWindowMs;
  const ms = (kind: string, value: number): Bar => ({ kind, value, label: `${value} ms` });
  return bars(
    "transactions-window",
    "Inconsistency window",
    "How long an order's participants disagreed: from its first effect (the order created, stock reserved or the card charged) until every participant holds its final state, as the median (p50), the 99th percentile and the largest over the measured orders, in simulated milliseconds. Retries, compensations and a broker's delivery all stretch it.",
    [ms("p50", w.p50), ms("p99", w.p99), ms("max", w.max)],
    "milliseconds",
  );
}

/** The run report's Transactions charts, in the order shown. */
export function transactionCharts(t: TransactionsResult): Chart[] {
  const outcomes = outcomesChart(t);
  return [
    anomaliesChart(t),
    effectsChart(t),
    ...(outcomes === null ? [] : [outcomes]),
    windowChart(t),
  ];
}

// ---------------------------------------------------------------------------------------------
// compare

function perVariant(
  comparison: Comparison,
  rowsOf: (t: NonNullable<Comparison["variants"][number]["transactions"]>) => Bar[],
): GroupedBar[] {
  return comparison.variants.flatMap((v) =>
    v.transactions === undefined
      ? []
      : rowsOf(v.transactions).map((r) => ({ ...r, variant: v.name })),
  );
}

/** The compare report's Transactions charts; none when no variant declares effects. */
export function compareTransactionCharts(comparison: Comparison): Chart[] {
  const variants = comparison.variants.filter((v) => v.transactions !== undefined);
  if (variants.length === 0) return [];
  const names = variants.map((v) => v.name);
  const anomalies = perVariant(comparison, (t) => [
    bar("double charges", t.doubleCharges),
    bar("charges without order", t.chargesWithoutOrder),
    bar("orphaned reservations", t.orphanedReservations),
    bar("hanging Tries", t.hangingTries),
    bar("lost events", t.lostEvents),
  ]);
  const recovery = perVariant(comparison, (t) => [
    bar("compensations", t.compensations),
    bar("compensation retries", t.compensationRetries),
    bar("sagas completed", t.sagas.completed),
    bar("sagas compensated", t.sagas.compensated),
    bar("sagas timed out", t.sagas.timedOut),
    bar("idempotency replays", t.duplicatesAbsorbed.replayed),
    bar("409 refusals", t.duplicatesAbsorbed.conflicts),
    bar("consumer dedup", t.duplicatesAbsorbed.consumerDedup),
  ]);
  const window = perVariant(comparison, (t) => [
    { kind: "p50", value: t.inconsistencyWindowMs.p50, label: `${t.inconsistencyWindowMs.p50}` },
    { kind: "p99", value: t.inconsistencyWindowMs.p99, label: `${t.inconsistencyWindowMs.p99}` },
  ]);
  return [
    groupedBars(
      "compare-transactions-anomalies",
      "Business anomalies per variant",
      "For each kind of anomaly the business ledger counts, one bar per variant: orders charged more than once net of refunds, charged but ended cancelled or failed, with stock still reserved after they ended cancelled, TCC Tries that arrived after their Cancel, and events lost before the broker (mean over seeds). A safeguard shows as its variant's bars falling to 0; a safeguard that moves the harm elsewhere (a 409 that fails the checkout with the card charged) shows as another kind's bar rising.",
      anomalies,
      names,
      "orders (mean over seeds)",
    ),
    groupedBars(
      "compare-transactions-recovery",
      "What the safeguards did per variant",
      "The work the recovery mechanisms did, one bar per variant (mean over seeds): compensating effects and the compensation tries beyond each one's first (a storm shows as retries far above compensations), how the sagas ended, and the duplicates absorbed: replayed from the idempotency store, refused with 409 while the first try was still running, or dropped by consumer dedup.",
      recovery,
      names,
      "count (mean over seeds)",
    ),
    groupedBars(
      "compare-transactions-window",
      "Inconsistency window per variant",
      "From an order's first effect until every participant holds its final state, its median and 99th percentile over the measured orders, one bar per variant, in simulated milliseconds (mean over seeds).",
      window,
      names,
      "milliseconds",
    ),
  ];
}
