// Runs an operation's downstream steps in order. A `call` step sends one call through the
// caller's proxy and waits for its answer; a `parallel` step starts all its branches at once and
// waits for every one (like joining futures). A step with probability p < 1 runs only when the
// request's keyed branch draw falls below p. The first failed step fails the operation with the
// failed call's status, and later steps are skipped; in a parallel group the failure reported is
// that of the first branch in file order that failed.
// (Written as classes, not named closures: tsx keeps function names with a per-closure
// defineProperty, which cost a third of a tandem run when this was a closure per call.)
import { childSite, Purpose } from "../kernel/keyedDraws.ts";
import { Call, type Outbound } from "./call.ts";
import type { SimContext } from "./context.ts";
import { isFailure, Status, type Reply } from "./request.ts";
import type { Step } from "./service.ts";

export function runSteps(steps: Step[], parent: Call, outbound: Outbound, ctx: SimContext, done: Reply): void {
  new Sequence(steps, parent, outbound, ctx, done).advance(Status.ok);
}

class Sequence {
  private next = 0;
  constructor(
    private readonly steps: Step[],
    private readonly parent: Call,
    private readonly outbound: Outbound,
    private readonly ctx: SimContext,
    private readonly done: Reply,
  ) {}

  advance(status: number): void {
    if (isFailure(status)) return this.done(status);
    const steps = this.steps;
    while (this.next < steps.length) {
      const step = steps[this.next++];
      if (taken(step, this.parent, this.ctx)) {
        return runStep(step, this.parent, this.outbound, this.ctx, (s) => this.advance(s));
      }
    }
    this.done(Status.ok);
  }
}

function taken(step: Step, parent: Call, ctx: SimContext): boolean {
  if (step.probability >= 1) return true;
  const site = childSite(parent.site, step.salt);
  const request = parent.request;
  return ctx.draws.begin(request.seedA, request.seedB, site, Purpose.branch).next() < step.probability;
}

function runStep(step: Step, parent: Call, outbound: Outbound, ctx: SimContext, done: Reply): void {
  if (step.kind === "call") {
    const call = new Call(parent.request, step.target, childSite(parent.site, step.salt), done);
    if (ctx.tracer !== null) ctx.tracer.callMade(call, parent);
    outbound.send(call);
    return;
  }
  const branches = step.steps.filter((branch) => taken(branch, parent, ctx));
  if (branches.length === 0) return done(Status.ok);
  const join = new Join(branches.length, done);
  for (let i = 0; i < branches.length; i++) runStep(branches[i], parent, outbound, ctx, (s) => join.arrive(i, s));
}

/** Waits for every branch of a parallel group; reports the first failure in file order. */
class Join {
  private pending: number;
  private readonly statuses: number[];
  constructor(count: number, private readonly done: Reply) {
    this.pending = count;
    this.statuses = new Array<number>(count).fill(Status.ok);
  }

  arrive(branch: number, status: number): void {
    this.statuses[branch] = status;
    if (--this.pending === 0) this.done(this.statuses.find(isFailure) ?? Status.ok);
  }
}
