// The business ledger's series (docs/metrics.md, "Transactions"): at every scrape the ledger's
// running counts, which are exact during the run (transactions/ledger.ts corrects them as each
// order changes), as Prometheus counters where they only grow and gauges where they can fall (a
// double charge later refunded is no longer one), plus the sagas', TCC's, idempotency's and the
// broker's counts. Over the measured orders only (the warm-up's are left out, as everywhere).
import type { Family, Labels, Series, SeriesStore } from "./seriesStore.ts";

const family = (name: string, type: Family["type"], unit: string, help: string): Family => ({
  name,
  type,
  unit,
  help,
});

const counter = (name: string, help: string) => family(name, "counter", "", help);
const gauge = (name: string, help: string) => family(name, "gauge", "", help);

export const TransactionFamilies = {
  orders: counter(
    "meshsim_transactions_orders",
    "Measured logical orders that started (first effect applied).",
  ),
  effects: counter(
    "meshsim_transactions_effects",
    "Business effects applied to measured orders, by kind (charge, refund, reserve, release, create, cancel).",
  ),
  compensations: counter(
    "meshsim_transactions_compensations",
    "Compensating effects applied (refund, release, cancel).",
  ),
  doubleCharges: gauge(
    "meshsim_transactions_double_charges",
    "Orders charged more than once net of refunds, now (a refund can take one back).",
  ),
  duplicateCharges: gauge(
    "meshsim_transactions_duplicate_charges",
    "Charges beyond each order's first, net of refunds, summed over orders, now.",
  ),
  duplicateAmount: gauge(
    "meshsim_transactions_duplicate_charged_amount",
    "Money charged beyond each order's first charge, net of refunds, now.",
  ),
  chargesWithoutOrder: gauge(
    "meshsim_transactions_charges_without_order",
    "Orders ended cancelled or failed that are charged and not refunded, now.",
  ),
  orphanedReservations: gauge(
    "meshsim_transactions_orphaned_reservations",
    "Orders ended cancelled or failed with stock still reserved, now.",
  ),
  idempotencyReplays: counter(
    "meshsim_transactions_idempotency_replays",
    "Duplicate requests answered from the idempotency store without a second effect.",
  ),
  idempotencyConflicts: counter(
    "meshsim_transactions_idempotency_conflicts",
    "Duplicate requests refused with 409 while the first with their key was in progress.",
  ),
  idempotencyWaits: counter(
    "meshsim_transactions_idempotency_waits",
    "Duplicate requests held until the first with their key finished.",
  ),
  windowP50: gauge(
    "meshsim_transactions_inconsistency_window_p50_seconds",
    "Median inconsistency window over the orders so far (first effect to last).",
  ),
  windowP99: gauge(
    "meshsim_transactions_inconsistency_window_p99_seconds",
    "99th percentile of the inconsistency window over the orders so far.",
  ),
  sagas: counter(
    "meshsim_transactions_sagas",
    "Sagas ended, by outcome (completed, compensated, timed_out, compensation_failed).",
  ),
  compensationTries: counter(
    "meshsim_transactions_compensation_tries",
    "Saga compensation calls sent, first tries and retries.",
  ),
  compensationRetries: counter(
    "meshsim_transactions_compensation_retries",
    "Saga compensation calls beyond each compensation's first try.",
  ),
  tcc: counter(
    "meshsim_transactions_tcc",
    "TCC transactions ended, by outcome (committed, rolled_back, timed_out, phase_two_failed).",
  ),
  tccHangingTries: counter(
    "meshsim_transactions_tcc_hanging_tries",
    "TCC Tries that ran after their transaction's Cancel and held their resources.",
  ),
  lostEvents: counter(
    "meshsim_transactions_lost_events",
    "Events lost between a producer's commit and the broker.",
  ),
  consumerDedup: counter(
    "meshsim_transactions_consumer_dedup",
    "Redelivered or re-published events consumer dedup kept from committing again.",
  ),
} as const;

/** What the series read: transactions/install.ts's Transactions has this shape. */
export interface TransactionsMonitored {
  readonly ledger: {
    readonly orders: number;
    readonly doubleCharges: number;
    readonly duplicateCharges: number;
    readonly duplicateAmount: number;
    readonly chargesWithoutOrder: number;
    readonly orphanedReservations: number;
    readonly compensations: number;
    readonly effects: Readonly<Record<string, number>>;
    readonly windows: { readonly count: number; quantile(q: number): number };
  };
  readonly idempotency: {
    readonly replayed: number;
    readonly conflicts: number;
    readonly waited: number;
  };
  readonly hasSagas: boolean;
  readonly sagas: {
    readonly completed: number;
    readonly compensated: number;
    readonly timedOut: number;
    readonly compensationFailed: number;
    readonly tries: number;
    readonly retries: number;
  };
  readonly hasTcc: boolean;
  readonly tcc: {
    readonly committed: number;
    readonly rolledBack: number;
    readonly timedOut: number;
    readonly phaseTwoFailed: number;
    readonly hangingTries: number;
  };
  readonly messaging: {
    readonly lostEvents: number;
    result(): { duplicatesAbsorbed: number };
  } | null;
}

const NO_LABELS: Labels = [];

export class TransactionSeries {
  private readonly scalars: [Series, () => number][] = [];
  private readonly effects: Series[];
  private readonly effectKinds: string[];
  private readonly window: [Series, Series];

  constructor(
    store: SeriesStore,
    private readonly source: TransactionsMonitored,
  ) {
    const F = TransactionFamilies;
    const l = source.ledger;
    const add = (f: Family, read: () => number, labels: Labels = NO_LABELS) =>
      this.scalars.push([
        store.seriesOf(f, f.type === "counter" ? `${f.name}_total` : f.name, labels),
        read,
      ]);
    add(F.orders, () => l.orders);
    this.effectKinds = Object.keys(l.effects);
    this.effects = this.effectKinds.map((kind) =>
      store.seriesOf(F.effects, `${F.effects.name}_total`, [["kind", kind]]),
    );
    add(F.compensations, () => l.compensations);
    add(F.doubleCharges, () => l.doubleCharges);
    add(F.duplicateCharges, () => l.duplicateCharges);
    add(F.duplicateAmount, () => l.duplicateAmount);
    add(F.chargesWithoutOrder, () => l.chargesWithoutOrder);
    add(F.orphanedReservations, () => l.orphanedReservations);
    const i = source.idempotency;
    add(F.idempotencyReplays, () => i.replayed);
    add(F.idempotencyConflicts, () => i.conflicts);
    add(F.idempotencyWaits, () => i.waited);
    this.window = [
      store.seriesOf(F.windowP50, F.windowP50.name, NO_LABELS),
      store.seriesOf(F.windowP99, F.windowP99.name, NO_LABELS),
    ];
    if (source.hasSagas) {
      const s = source.sagas;
      const outcome = (name: string): Labels => [["outcome", name]];
      add(F.sagas, () => s.completed, outcome("completed"));
      add(F.sagas, () => s.compensated, outcome("compensated"));
      add(F.sagas, () => s.timedOut, outcome("timed_out"));
      add(F.sagas, () => s.compensationFailed, outcome("compensation_failed"));
      add(F.compensationTries, () => s.tries);
      add(F.compensationRetries, () => s.retries);
    }
    if (source.hasTcc) {
      const t = source.tcc;
      const outcome = (name: string): Labels => [["outcome", name]];
      add(F.tcc, () => t.committed, outcome("committed"));
      add(F.tcc, () => t.rolledBack, outcome("rolled_back"));
      add(F.tcc, () => t.timedOut, outcome("timed_out"));
      add(F.tcc, () => t.phaseTwoFailed, outcome("phase_two_failed"));
      add(F.tccHangingTries, () => t.hangingTries);
    }
    const m = source.messaging;
    if (m !== null) {
      add(F.lostEvents, () => m.lostEvents);
      add(F.consumerDedup, () => m.result().duplicatesAbsorbed);
    }
  }

  /** Sets every series' current value; the window's quantiles only when they may be read. */
  collect(readWindow: boolean): void {
    for (const [series, read] of this.scalars) series.current = read();
    const effects = this.source.ledger.effects;
    for (let k = 0; k < this.effects.length; k++)
      this.effects[k].current = effects[this.effectKinds[k]];
    if (!readWindow) return;
    const windows = this.source.ledger.windows;
    const empty = windows.count === 0;
    this.window[0].current = empty ? Number.NaN : windows.quantile(0.5) / 1000;
    this.window[1].current = empty ? Number.NaN : windows.quantile(0.99) / 1000;
  }
}
