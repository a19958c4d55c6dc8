// The coordinator of a TCC transaction (Seata's TM and TC in one, as its TCC mode runs them):
// phase one calls every participant's Try at once; when all succeed, phase two confirms each
// participant, otherwise (a Try failed, or the timeout passed first) it cancels each participant
// whose Try was sent, whether or not that Try succeeded, since it may still be running or have
// committed unheard. Phase two's calls go one at a time and are retried by the transaction's retry
// policy (saga/compensation.ts), as Seata's TC retries branch commits and rollbacks. The caller
// is answered when phase two ends, or with 504 at the timeout. Left out: the TC as a service of
// its own, branch registration, and global locks.

import { childSite } from "../../kernel/keyedDraws.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Call, Outbound } from "../../model/call.ts";
import type { SimContext } from "../../model/context.ts";
import type { GatedCall, StepsRunner } from "../../model/effects.ts";
import type { Operation } from "../../model/operation.ts";
import { isFailure, Status, type Waiter } from "../../model/request.ts";
import { CompensationCall, type CompensationOwner } from "../saga/compensation.ts";
import { SagaCounts } from "../saga/counts.ts";
import type { CompensationRetrySpec } from "../saga/spec.ts";
import type { TccCounts } from "./fence.ts";
import type { TccSpec } from "./spec.ts";

export interface TccParticipant {
  try: Operation;
  confirm: Operation;
  cancel: Operation;
}

export class TccCoordinator implements StepsRunner {
  /** Phase two's calls, counted as a saga's compensations are. */
  readonly phaseTwo = new SagaCounts();
  constructor(
    readonly spec: TccSpec,
    readonly participants: TccParticipant[],
    readonly counts: TccCounts,
  ) {}

  run(parent: GatedCall, outbound: object, ctx: object): void {
    new TccRun(this, parent as Call, outbound as Outbound, ctx as SimContext).start();
  }
}

/** Salts of the participants' call sites: Try i at TRY + i, phase two at PHASE_TWO + i. */
const TRY_SALT = 0x7cc0;
const PHASE_TWO_SALT = 0x7cd0;

class TccRun implements CompensationOwner {
  private pending: number;
  private failed = false;
  private phaseTwo = -1;
  private timer: Timer | null = null;
  private timedOut = false;
  private answered = false;
  /** A Confirm or Cancel ran out of tries. */
  private phaseTwoFailed = false;

  constructor(
    readonly tcc: TccCoordinator,
    readonly parent: Call,
    readonly outbound: Outbound,
    readonly ctx: SimContext,
  ) {
    this.pending = tcc.participants.length;
  }

  get measured(): boolean {
    return this.parent.request.measured;
  }

  get counts(): SagaCounts {
    return this.tcc.phaseTwo;
  }

  get retry(): CompensationRetrySpec {
    return this.tcc.spec.retry;
  }

  start(): void {
    this.timer = this.ctx.scheduler.after(this.tcc.spec.timeoutMs, () => this.deadline());
    const parent = this.parent;
    this.tcc.participants.forEach((p, i) => {
      const site = childSite(parent.site, TRY_SALT + i);
      this.outbound.send(parent.request, p.try, site, new TryCall(this), i, parent);
    });
  }

  /** A Try answered. */
  tried(status: number): void {
    if (this.phaseTwo >= 0) return; // phase two began at the timeout: a late answer changes nothing
    if (isFailure(status)) this.failed = true;
    if (--this.pending === 0) this.beginPhaseTwo();
  }

  compensationEnded(succeeded: boolean): void {
    if (!succeeded) this.phaseTwoFailed = true;
    this.nextPhaseTwo();
  }

  private deadline(): void {
    this.timer = null;
    if (this.answered) return;
    this.timedOut = true;
    if (this.measured) this.tcc.counts.timedOut++;
    this.answer(Status.gatewayTimeout);
    if (this.phaseTwo < 0) {
      this.failed = true;
      this.beginPhaseTwo();
    }
  }

  private beginPhaseTwo(): void {
    this.phaseTwo = 0;
    this.nextPhaseTwo();
  }

  /** Confirms or cancels the next participant; at the end, answers the caller. */
  private nextPhaseTwo(): void {
    const participants = this.tcc.participants;
    if (this.phaseTwo < participants.length) {
      const i = this.phaseTwo++;
      const target = this.failed ? participants[i].cancel : participants[i].confirm;
      const site = childSite(this.parent.site, PHASE_TWO_SALT + i);
      new CompensationCall(this, target, site).send();
      return;
    }
    if (this.timer !== null) {
      this.ctx.scheduler.cancel(this.timer);
      this.timer = null;
    }
    if (this.measured && !this.timedOut) {
      if (this.phaseTwoFailed) this.tcc.counts.phaseTwoFailed++;
      else if (this.failed) this.tcc.counts.rolledBack++;
      else this.tcc.counts.committed++;
    }
    this.answer(this.failed ? Status.serverError : Status.ok);
  }

  private answer(status: number): void {
    if (this.answered) return;
    this.answered = true;
    this.parent.instance!.stepsDone(this.parent, status);
  }
}

class TryCall implements Waiter {
  constructor(private readonly run: TccRun) {}
  answered(status: number): void {
    this.run.tried(status);
  }
}
