// A TCC participant's branch records and safeguards, after Seata's TCC fence (TCCFenceHandler and
// its tcc_fence_log: tried, committed, rollbacked, suspended): the participant's three operations
// apply their effects through it when their work commits. Ground truth is kept whatever the
// switches say: a Cancel that found no committed Try is an empty rollback, a Try that commits after
// its Cancel is a hanging Try, a second Confirm or Cancel is a duplicate; each safeguard, when on,
// makes its case do nothing (Seata: the empty rollback returns at once and leaves a suspended
// record, which refuses the later Try; a repeated phase two returns at once). Left out: the record
// is written when the work commits (Seata writes it in the Try's local transaction, so a concurrent
// Cancel waits on its row lock), and fence-log clean-up. Records hang off their request (a WeakMap).
import type { EffectHook, GatedCall } from "../../model/effects.ts";
import type { EndUserRequest } from "../../model/request.ts";
import type { TccSafeguards } from "./spec.ts";

/** A branch's record (Seata's fence status; none: no record yet). */
const Branch = { tried: 1, committed: 2, rolledBack: 3, suspended: 4 } as const;

export class TccCounts {
  committed = 0;
  rolledBack = 0;
  timedOut = 0;
  /** Phase two ended with a Confirm or Cancel out of tries (before the timeout). */
  phaseTwoFailed = 0;
  /** Anomalies that happened (their safeguard was off). */
  hangingTries = 0;
  emptyRollbacks = 0;
  duplicatePhaseTwo = 0;
  /** Cases a safeguard absorbed. */
  rejectedTries = 0;
  skippedEmptyRollbacks = 0;
  skippedDuplicates = 0;
}

export class TccFence {
  private readonly records = new WeakMap<EndUserRequest, number>();

  constructor(
    private readonly safeguards: TccSafeguards,
    private readonly counts: TccCounts,
  ) {}

  /** The hook for one phase's operation, wrapping its own effects (or none). */
  hook(phase: "try" | "confirm" | "cancel", inner: EffectHook | null): EffectHook {
    return { committed: (request, call) => this.committed(phase, request, call, inner) };
  }

  private committed(
    phase: "try" | "confirm" | "cancel",
    request: EndUserRequest,
    call: GatedCall,
    inner: EffectHook | null,
  ): void {
    const record = this.records.get(request);
    const measured = request.measured;
    const apply = () => {
      if (inner !== null) inner.committed(request, call);
    };
    const g = this.safeguards;
    const c = this.counts;
    if (phase === "try") {
      if (record === Branch.rolledBack || record === Branch.suspended) {
        if (g.hangPrevention) {
          if (measured) c.rejectedTries++;
          return;
        }
        if (measured) c.hangingTries++;
        return apply();
      }
      this.records.set(request, Branch.tried);
      return apply();
    }
    const done = phase === "confirm" ? Branch.committed : Branch.rolledBack;
    if (record === undefined && phase === "cancel") {
      this.records.set(request, Branch.suspended);
      if (g.emptyRollback) {
        if (measured) c.skippedEmptyRollbacks++;
        return;
      }
      if (measured) c.emptyRollbacks++;
      return apply();
    }
    if (record === done || (phase === "cancel" && record === Branch.suspended)) {
      if (g.idempotent) {
        if (measured) c.skippedDuplicates++;
        return;
      }
      if (measured) c.duplicatePhaseTwo++;
      return apply();
    }
    // Phase two of a branch that tried (or a Confirm with no record, which Seata refuses).
    if (record !== Branch.tried) return;
    this.records.set(request, done);
    apply();
  }
}
