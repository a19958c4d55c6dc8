// An orchestrated saga (Garcia-Molina and Salem 1987, as Eventuate Tram's orchestrator, Temporal's
// saga pattern and Seata's saga mode run one): the orchestrator runs the operation's steps in
// order (parallel groups at once, as callGraph.ts does); when a step fails it stops and runs the
// compensations of the steps that completed, in the reverse order of their completion, one at a
// time, each with its own retry policy (compensation.ts). The saga has a timeout: if it has not
// ended (every step done, or every compensation done) by then it counts as timed out, stops its
// forward steps and compensates; a forward step that answers success after that is compensated
// when its answer comes. The caller is answered when the saga ends, or with 504 at its timeout.
// Left out: a durable saga log (the orchestrator survives its instance's death), pivot and
// retriable steps (every step with a compensation is compensatable), semantic locks.
import { childSite, Purpose } from "../../kernel/keyedDraws.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Call, Outbound } from "../../model/call.ts";
import { Join } from "../../model/callGraph.ts";
import type { SimContext } from "../../model/context.ts";
import type { GatedCall, StepsRunner } from "../../model/effects.ts";
import type { Operation, Step } from "../../model/operation.ts";
import { isFailure, Status, type Waiter } from "../../model/request.ts";
import { CompensationCall, type CompensationOwner } from "./compensation.ts";
import type { SagaCounts } from "./counts.ts";
import type { CompensationRetrySpec, SagaSpec } from "./spec.ts";

/** One operation's saga: its steps' compensations, and the counts every run of it adds to. */
export class SagaOrchestrator implements StepsRunner {
  constructor(
    readonly spec: SagaSpec,
    /** Each call step's compensating operation (steps without one are absent). */
    readonly compensations: Map<Step, Operation>,
    readonly steps: Step[],
    readonly counts: SagaCounts,
  ) {}

  run(parent: GatedCall, outbound: object, ctx: object): void {
    new SagaRun(this, parent as Call, outbound as Outbound, ctx as SimContext).start();
  }
}

const Phase = { forward: 0, compensating: 1, ended: 2 } as const;

export class SagaRun implements Waiter, CompensationOwner {
  private phase: number = Phase.forward;
  private next = 0;
  /** Completed steps still to compensate, in the order they completed (compensated from the end). */
  private readonly toCompensate: Step[] = [];
  /** Forward calls sent and not answered yet (a timed-out saga waits for them to compensate them). */
  private inFlight = 0;
  private compensating: CompensationCall | null = null;
  private timer: Timer | null = null;
  private timedOut = false;
  private compensationFailed = false;
  private callerAnswered = false;
  private failStatus: number = Status.ok;

  constructor(
    readonly saga: SagaOrchestrator,
    readonly parent: Call,
    readonly outbound: Outbound,
    readonly ctx: SimContext,
  ) {}

  get measured(): boolean {
    return this.parent.request.measured;
  }

  get counts(): SagaCounts {
    return this.saga.counts;
  }

  get retry(): CompensationRetrySpec {
    return this.saga.spec.retry;
  }

  start(): void {
    this.timer = this.ctx.scheduler.after(this.saga.spec.timeoutMs, () => this.deadline());
    this.advance();
  }

  /** A top-level step ended (the saga is where its outcome goes, as a parallel group's Join is). */
  answered(status: number): void {
    if (this.phase !== Phase.forward) return;
    if (isFailure(status)) {
      this.failStatus = status;
      this.phase = Phase.compensating;
      this.compensateNext();
    } else {
      this.advance();
    }
  }

  /** A forward call ended (before its parallel group or the saga hears of it). */
  callEnded(step: Step, status: number): void {
    this.inFlight--;
    const compensated =
      this.saga.compensations.has(step) && (!isFailure(status) || this.saga.spec.compensateFailed);
    if (compensated) this.toCompensate.push(step);
    // A saga that gave up on its forward steps compensates a late one now.
    if (this.phase === Phase.compensating) this.compensateNext();
  }

  /** A compensation ended, after its last try (`succeeded`: one try succeeded). */
  compensationEnded(succeeded: boolean): void {
    this.compensating = null;
    if (!succeeded) this.compensationFailed = true;
    this.compensateNext();
  }

  private advance(): void {
    const steps = this.saga.steps;
    while (this.next < steps.length) {
      const step = steps[this.next++];
      if (taken(step, this.parent, this.ctx)) return this.runStep(step, this, 0);
    }
    this.end(Status.ok);
  }

  private runStep(step: Step, node: Waiter, branch: number): void {
    const parent = this.parent;
    if (step.kind === "call") {
      this.inFlight++;
      const site = childSite(parent.site, step.salt);
      const waiter = new StepCall(this, step, node, branch);
      this.outbound.send(parent.request, step.target, site, waiter, branch, parent);
      return;
    }
    const branches = step.steps;
    let count = 0;
    for (let i = 0; i < branches.length; i++) if (taken(branches[i], parent, this.ctx)) count++;
    if (count === 0) return node.answered(Status.ok, branch);
    const join = new Join(count, node, branch);
    let k = 0;
    for (let i = 0; i < branches.length; i++)
      if (taken(branches[i], parent, this.ctx)) this.runStep(branches[i], join, k++);
  }

  /** The saga's timeout: if it has not ended it is timed out, answers 504 and compensates. */
  private deadline(): void {
    this.timer = null;
    if (this.phase === Phase.ended) return;
    this.timedOut = true;
    const counts = this.saga.counts;
    if (this.measured) {
      counts.timedOut++;
      counts.broke(this.ctx.scheduler.now);
    }
    this.answer(Status.gatewayTimeout);
    if (this.phase === Phase.forward) {
      this.phase = Phase.compensating;
      this.compensateNext();
    }
  }

  /** Runs the next compensation, latest completed step first; ends the saga when none is left. */
  private compensateNext(): void {
    if (this.compensating !== null) return;
    const step = this.toCompensate.pop();
    if (step !== undefined) {
      const target = this.saga.compensations.get(step)!;
      const site = childSite(childSite(this.parent.site, step.salt), COMPENSATION_SALT);
      this.compensating = new CompensationCall(this, target, site);
      this.compensating.send();
      return;
    }
    if (this.inFlight === 0) this.end(this.failStatus);
  }

  /** The saga ended: every step done (ok) or every compensation done (the failure's status). */
  private end(status: number): void {
    this.phase = Phase.ended;
    if (this.timer !== null) {
      this.ctx.scheduler.cancel(this.timer);
      this.timer = null;
    }
    const counts = this.saga.counts;
    if (this.measured && !this.timedOut) {
      if (status === Status.ok) counts.completed++;
      else if (this.compensationFailed) {
        counts.compensationFailed++;
        counts.broke(this.ctx.scheduler.now);
      } else counts.compensated++;
    }
    this.answer(status);
  }

  /** Tells the caller once: the saga's outcome, or 504 at its timeout. */
  private answer(status: number): void {
    if (this.callerAnswered) return;
    this.callerAnswered = true;
    this.parent.instance!.stepsDone(this.parent, status);
  }
}

/** Salt of a compensation's call site under its step's site (its tries add their number). */
const COMPENSATION_SALT = 0x5a6a;

function taken(step: Step, parent: Call, ctx: SimContext): boolean {
  if (step.probability >= 1) return true;
  const site = childSite(parent.site, step.salt);
  const request = parent.request;
  return (
    ctx.draws.begin(request.seedA, request.seedB, site, Purpose.branch).next() < step.probability
  );
}

/** One forward call's waiter: tells the saga (to record the step) and then its node. */
class StepCall implements Waiter {
  constructor(
    private readonly run: SagaRun,
    private readonly step: Step,
    private readonly node: Waiter,
    private readonly branch: number,
  ) {}

  answered(status: number): void {
    this.run.callEnded(this.step, status);
    this.node.answered(status, this.branch);
  }
}
