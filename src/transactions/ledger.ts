// The business ledger of a run: per logical order (one end-user request), what really happened to
// it at each participant (charges, refunds, stock reserved and released, the order created or
// cancelled), from the simulator's ground truth. Bounded: a record hangs off its request and dies
// with it; the ledger keeps only running counts, which it corrects as each order changes (so they
// are exact during the run as well as at its end), the window distribution, and a sample of
// anomalous orders. Warm-up requests are left out, as in every statistic of the run.
import { type EndUserRequest, isFailure } from "../model/request.ts";
import { EFFECT_KINDS, type EffectKind } from "./spec.ts";
import { WindowDistribution } from "./window.ts";

export const Anomaly = {
  /** Charged more than once net of refunds. */
  doubleCharge: 1,
  /** Ended cancelled or failed, and still charged. */
  chargeWithoutOrder: 2,
  /** Ended cancelled or failed, with stock still reserved. */
  orphanedReservation: 4,
} as const;

/** Anomalous orders the ledger remembers (it reports those still anomalous at the end, up to ten). */
const SAMPLE_KEEP = 20;

/** One order's ledger. */
export class OrderRecord {
  charges = 0;
  refunds = 0;
  chargedAmount = 0;
  refundedAmount = 0;
  firstChargeAmount = 0;
  reserved = 0;
  released = 0;
  created = 0;
  cancelled = 0;
  firstAt: number;
  lastAt: number;
  /** The window distribution's bucket this order's window is in (-1: none yet). */
  windowBucket = -1;
  sampled = false;
  constructor(
    readonly request: EndUserRequest,
    now: number,
  ) {
    this.firstAt = now;
    this.lastAt = now;
  }

  /** The order ended without standing: cancelled (as often as created), or its caller was told it failed. */
  get endedWithoutOrder(): boolean {
    return (
      (this.cancelled > 0 && this.cancelled >= this.created) || isFailure(this.request.outcome)
    );
  }

  /** Anomaly bits (Anomaly) of the order as it stands now. */
  get anomalies(): number {
    const net = this.charges - this.refunds;
    let bits = net > 1 ? Anomaly.doubleCharge : 0;
    if (this.endedWithoutOrder) {
      if (net > 0) bits |= Anomaly.chargeWithoutOrder;
      if (this.reserved > this.released) bits |= Anomaly.orphanedReservation;
    }
    return bits;
  }
}

export type EffectCounts = Record<EffectKind, number>;

/** Each anomaly's bit, in the order the result lists the invariants they break. */
export const ANOMALY_BITS = [
  Anomaly.doubleCharge,
  Anomaly.chargeWithoutOrder,
  Anomaly.orphanedReservation,
] as const;

export class OrderLedger {
  orders = 0;
  doubleCharges = 0;
  duplicateCharges = 0;
  duplicateAmount = 0;
  chargesWithoutOrder = 0;
  orphanedReservations = 0;
  compensations = 0;
  /** Effects applied, by their index in EFFECT_KINDS. */
  private readonly applied = EFFECT_KINDS.map(() => 0);
  readonly windows = new WindowDistribution();
  /** Orders that became anomalous, the first SAMPLE_KEEP of them. */
  readonly sample: OrderRecord[] = [];
  /** When each anomaly (by its bit) first appeared during the run, or null: the invariants during the run. */
  readonly firstBrokenAt = new Map<number, number>();

  constructor(private readonly clock: { readonly now: number }) {}

  /** Effects applied, by kind. */
  get effects(): EffectCounts {
    const counts = {} as EffectCounts;
    EFFECT_KINDS.forEach((kind, i) => {
      counts[kind] = this.applied[i];
    });
    return counts;
  }

  /** An effect committed now at a participant, for `request`'s order. */
  apply(request: EndUserRequest, kind: EffectKind, amount: number, now: number): void {
    this.applyCode(request, EFFECT_KINDS.indexOf(kind), amount, now);
  }

  /** `apply` with the kind as its index in EFFECT_KINDS (the hot path: no string compares). */
  applyCode(request: EndUserRequest, kind: number, amount: number, now: number): void {
    if (!request.measured) return;
    let order = request.order as OrderRecord | null;
    if (order === null) {
      order = new OrderRecord(request, now);
      request.order = order;
      this.orders++;
    } else {
      this.account(order, -1);
    }
    change(order, kind, amount);
    this.applied[kind]++;
    if (kind === Kind.refund || kind === Kind.release || kind === Kind.cancel) this.compensations++;
    order.lastAt = now;
    order.windowBucket = this.windows.move(order.windowBucket, now - order.firstAt);
    this.account(order, 1);
  }

  /** The request ended (told by its load): its outcome decides whether its order ended failed. */
  requestFinished(request: EndUserRequest, status: number): void {
    const order = request.order as OrderRecord | null;
    if (order === null) {
      request.outcome = status; // a late effect may still start its order
      return;
    }
    this.account(order, -1);
    request.outcome = status;
    this.account(order, 1);
  }

  /** Adds (`sign` 1) or takes out (-1) what `order` contributes to the counts as it stands. */
  private account(order: OrderRecord, sign: number): void {
    const bits = order.anomalies;
    if (bits === 0) return;
    if (bits & Anomaly.doubleCharge) {
      const net = order.charges - order.refunds;
      this.doubleCharges += sign;
      this.duplicateCharges += sign * (net - 1);
      const money = order.chargedAmount - order.refundedAmount - order.firstChargeAmount;
      this.duplicateAmount += sign * Math.max(0, money);
    }
    if (bits & Anomaly.chargeWithoutOrder) this.chargesWithoutOrder += sign;
    if (bits & Anomaly.orphanedReservation) this.orphanedReservations += sign;
    if (sign < 0) return;
    for (const bit of ANOMALY_BITS)
      if (bits & bit && !this.firstBrokenAt.has(bit)) this.firstBrokenAt.set(bit, this.clock.now);
    if (!order.sampled && this.sample.length < SAMPLE_KEEP) {
      order.sampled = true;
      this.sample.push(order);
    }
  }
}

/** The kinds' indices in EFFECT_KINDS. */
const Kind = {
  charge: EFFECT_KINDS.indexOf("charge"),
  refund: EFFECT_KINDS.indexOf("refund"),
  reserve: EFFECT_KINDS.indexOf("reserve"),
  release: EFFECT_KINDS.indexOf("release"),
  create: EFFECT_KINDS.indexOf("create"),
  cancel: EFFECT_KINDS.indexOf("cancel"),
};

function change(order: OrderRecord, kind: number, amount: number): void {
  switch (kind) {
    case Kind.charge:
      if (order.charges === 0) order.firstChargeAmount = amount;
      order.charges++;
      order.chargedAmount += amount;
      return;
    case Kind.refund:
      order.refunds++;
      order.refundedAmount += amount;
      return;
    case Kind.reserve:
      order.reserved += amount;
      return;
    case Kind.release:
      order.released += amount;
      return;
    case Kind.create:
      order.created++;
      return;
    case Kind.cancel:
      order.cancelled++;
      return;
  }
}
