// The ledger at the end of a run as the result's `transactions` section (result/transactions.ts):
// counts over measured orders, the window percentiles, and the sample of orders still anomalous.

import { isFailure } from "../model/request.ts";
import { roundSig } from "../result/round.ts";
import type {
  BusinessInvariantResult,
  OrderSample,
  TransactionsResult,
} from "../result/transactions.ts";
import type { Transactions } from "./install.ts";
import { Anomaly, type OrderRecord } from "./ledger.ts";

const SAMPLE_SHOWN = 10;

export function summariseTransactions(
  transactions: Transactions,
  loadNames: readonly string[],
): TransactionsResult {
  const ledger = transactions.ledger;
  const windows = ledger.windows;
  const orders = ledger.orders;
  return {
    orders,
    doubleCharges: ledger.doubleCharges,
    chargesWithoutOrder: ledger.chargesWithoutOrder,
    orphanedReservations: ledger.orphanedReservations,
    compensations: ledger.compensations,
    sagas: sagasOf(transactions),
    inconsistencyWindowMs: {
      p50: roundSig(windows.quantile(0.5)),
      p99: roundSig(windows.quantile(0.99)),
      max: roundSig(windows.max),
    },
    duplicateCharges: ledger.duplicateCharges,
    doubleChargesPerThousand: orders > 0 ? roundSig((1000 * ledger.doubleCharges) / orders) : 0,
    duplicateAmount: roundSig(ledger.duplicateAmount),
    effects: ledger.effects,
    idempotency: { ...transactions.idempotency },
    ...(transactions.hasSagas ? { compensationTries: compensationTriesOf(transactions) } : {}),
    ...(transactions.hasTcc ? { tcc: tccOf(transactions) } : {}),
    invariants: invariantsOf(transactions),
    sample: ledger.sample
      .filter((order) => order.anomalies !== 0)
      .slice(0, SAMPLE_SHOWN)
      .map((order) => sampleOf(order, loadNames)),
    ...(transactions.messaging === null ? {} : { messaging: transactions.messaging.result() }),
  };
}

function sagasOf(transactions: Transactions): TransactionsResult["sagas"] {
  const s = transactions.sagas;
  const counts = { completed: s.completed, compensated: s.compensated, timedOut: s.timedOut };
  return transactions.hasSagas ? { ...counts, compensationFailed: s.compensationFailed } : counts;
}

function compensationTriesOf(transactions: Transactions) {
  const s = transactions.sagas;
  return { total: s.tries, retries: s.retries, peakPerSecond: s.peakTriesPerSecond };
}

function tccOf(transactions: Transactions): NonNullable<TransactionsResult["tcc"]> {
  const c = transactions.tcc;
  return {
    committed: c.committed,
    rolledBack: c.rolledBack,
    timedOut: c.timedOut,
    phaseTwoFailed: c.phaseTwoFailed,
    phaseTwoTries: transactions.tccPhaseTwo.reduce((sum, p) => sum + p.tries, 0),
    hangingTries: c.hangingTries,
    emptyRollbacks: c.emptyRollbacks,
    duplicatePhaseTwo: c.duplicatePhaseTwo,
    rejectedTries: c.rejectedTries,
    skippedEmptyRollbacks: c.skippedEmptyRollbacks,
    skippedDuplicates: c.skippedDuplicates,
  };
}

function invariantsOf(transactions: Transactions): BusinessInvariantResult[] {
  const ledger = transactions.ledger;
  const sagas = transactions.sagas;
  const one = (name: string, violations: number, bit: number | null, at?: number | null) => {
    const first = bit === null ? (at ?? undefined) : ledger.firstBrokenAt.get(bit);
    return {
      name,
      holds: violations === 0,
      violations,
      firstBrokenAtMs: first === undefined || first === null ? null : roundSig(first, 12),
    };
  };
  const messaging = transactions.messaging;
  // With a broker: no event whose producer committed is lost before the broker (publish after commit).
  const lost =
    messaging === null
      ? []
      : [one("no-lost-event", messaging.lostEvents, null, messaging.publishing.firstLostAt)];
  return [
    one("no-double-charge", ledger.doubleCharges, Anomaly.doubleCharge),
    one("no-charge-without-order", ledger.chargesWithoutOrder, Anomaly.chargeWithoutOrder),
    one("no-orphaned-reservation", ledger.orphanedReservations, Anomaly.orphanedReservation),
    one("sagas-end-in-time", sagas.violations, null, sagas.firstBrokenAt),
    ...lost,
  ];
}

function sampleOf(order: OrderRecord, loadNames: readonly string[]): OrderSample {
  const bits = order.anomalies;
  const outcome = order.request.outcome;
  return {
    order: order.request.id,
    load: loadNames[order.request.loadIndex],
    anomalies: (Object.keys(Anomaly) as (keyof typeof Anomaly)[]).filter((k) => bits & Anomaly[k]),
    charges: order.charges,
    refunds: order.refunds,
    reserved: order.reserved,
    released: order.released,
    created: order.created,
    cancelled: order.cancelled,
    outcome: outcome === 0 ? "open" : isFailure(outcome) ? "failed" : "completed",
  };
}
