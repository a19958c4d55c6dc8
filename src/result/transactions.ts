// The run result's `transactions` section (shared/SCENARIO.md's contract: extend, never rename):
// what the business ledger saw of the measured orders, from the simulator's ground truth (every
// effect that really happened, whether or not its caller heard). Types only.

/** One order of the anomaly sample: its ledger at the end of the run. */
export interface OrderSample {
  /** The end-user request's id (one logical order per request). */
  order: number;
  load: string;
  /** What is wrong with it: `doubleCharge`, `chargeWithoutOrder`, `orphanedReservation`. */
  anomalies: string[];
  charges: number;
  refunds: number;
  reserved: number;
  released: number;
  created: number;
  cancelled: number;
  /** `completed`, `failed` (the caller was told it failed) or `open` (no answer by the end). */
  outcome: string;
}

/**
 * A business invariant over the measured orders: whether it holds at the end of the run
 * (quiescence), by how many orders it is broken then, and when it first broke during the run (it
 * may have broken and healed, e.g. a double charge later refunded).
 */
export interface BusinessInvariantResult {
  /** no-double-charge, no-charge-without-order, no-orphaned-reservation, sagas-end-in-time. */
  name: string;
  holds: boolean;
  violations: number;
  firstBrokenAtMs: number | null;
}

export interface TransactionsResult {
  /** Measured logical orders that started (an end-user request with at least one effect). */
  orders: number;
  /** Orders charged more than once net of refunds. */
  doubleCharges: number;
  /** Orders that ended cancelled or failed, charged and not refunded. */
  chargesWithoutOrder: number;
  /** Orders that ended cancelled or failed with stock still reserved. */
  orphanedReservations: number;
  /** Compensating effects applied (refund, release, cancel). */
  compensations: number;
  /**
   * How the measured sagas ended (`compensationFailed`: a compensation ran out of tries before the
   * timeout; present when the scenario declares sagas).
   */
  sagas: { completed: number; compensated: number; timedOut: number; compensationFailed?: number };
  /**
   * The sagas' compensation calls: tries sent (first tries and retries), retries, and the most
   * sent within one simulated second (the compensation storm). Present when the scenario declares sagas.
   */
  compensationTries?: { total: number; retries: number; peakPerSecond: number };
  /**
   * TCC transactions (present when the scenario declares them): how they ended, phase two's tries,
   * and at the participants the anomalies that happened (hanging Tries, empty rollbacks that undid
   * nothing, repeated Confirms or Cancels) and those Seata's safeguards absorbed.
   */
  tcc?: {
    committed: number;
    rolledBack: number;
    timedOut: number;
    phaseTwoFailed: number;
    phaseTwoTries: number;
    hangingTries: number;
    emptyRollbacks: number;
    duplicatePhaseTwo: number;
    rejectedTries: number;
    skippedEmptyRollbacks: number;
    skippedDuplicates: number;
  };
  /** From an order's first effect to its last (when every participant holds its final state). */
  inconsistencyWindowMs: { p50: number; p99: number; max: number };
  /** Charges beyond the first, net of refunds, summed over orders (the theory test's figure). */
  duplicateCharges: number;
  /** doubleCharges per thousand orders. */
  doubleChargesPerThousand: number;
  /** Money charged twice: net charged amount beyond each order's first charge. */
  duplicateAmount: number;
  /** Effects applied, by kind, over the measured orders. */
  effects: {
    charge: number;
    refund: number;
    reserve: number;
    release: number;
    create: number;
    cancel: number;
  };
  /** Idempotency at the callee: duplicates replayed from the store, refused (409), made to wait. */
  idempotency: { replayed: number; conflicts: number; waited: number };
  /** The business invariants, during the run and at quiescence. */
  invariants: BusinessInvariantResult[];
  /** Up to ten orders anomalous at the end, the first to become so. */
  sample: OrderSample[];
  /** The modelled broker, when the scenario has a `messaging` section. */
  messaging?: MessagingResult;
}

/**
 * What the broker did over the run, over every event (warm-up included, so the conservation laws
 * are exact): per topic, committed = published + lost + inTransit + outboxPending; per consumer
 * group, received (the topic's published) = acked + deadLettered + inFlight.
 */
export interface MessagingResult {
  /** Events that reached the broker, over topics. */
  published: number;
  /** Events lost between the producer's commit and the broker (publish after commit). */
  lostEvents: number;
  /** Deliveries beyond each message's first, over consumer groups. */
  redeliveries: number;
  /** Redelivered or re-published events that consumer dedup kept from committing again. */
  duplicatesAbsorbed: number;
  deadLettered: number;
  topics: {
    topic: string;
    committed: number;
    published: number;
    lost: number;
    inTransit: number;
    outboxPending: number;
  }[];
  consumers: {
    /** service.operation */
    consumer: string;
    topic: string;
    dedup: boolean;
    received: number;
    acked: number;
    redeliveries: number;
    ackTimeouts: number;
    deadLettered: number;
    /** Unacked at the end: waiting, on its way, or being processed. */
    inFlight: number;
    duplicatesAbsorbed: number;
  }[];
}
