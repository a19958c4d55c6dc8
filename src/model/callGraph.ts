// Runs an operation's downstream steps in order. A `call` step sends one call through the
// caller's proxy and waits for its answer; a `parallel` step starts all its branches at once and
// waits for every one (like joining futures). A step with probability p < 1 runs only when the
// request's keyed branch draw falls below p. The first failed step fails the operation with the
// failed call's status, and later steps are skipped; in a parallel group the failure reported is
// that of the first branch in file order that failed. When the steps are done, the instance
// running the operation answers it (Instance.stepsDone).
// (Written as classes that are their calls' waiters, not closures: tsx keeps function names with a
// per-closure defineProperty, which cost a third of a tandem run when this was a closure per call.)
import { childSite, Purpose } from "../kernel/keyedDraws.ts";
import type { Call, Outbound } from "./call.ts";
import type { SimContext } from "./context.ts";
import type { Step } from "./operation.ts";
import { isFailure, Status, type Waiter } from "./request.ts";

/** Runs `steps` for `parent`, whose instance is told when they are done. */
export function runSteps(steps: Step[], parent: Call, outbound: Outbound, ctx: SimContext): void {
  new Sequence(steps, parent, outbound, ctx).answered(Status.ok);
}

class Sequence implements Waiter {
  private next = 0;
  constructor(
    private readonly steps: Step[],
    private readonly parent: Call,
    private readonly outbound: Outbound,
    private readonly ctx: SimContext,
  ) {}

  /** The previous step ended with `status` (the first call: ok): run the next one taken, or finish. */
  answered(status: number): void {
    const parent = this.parent;
    if (isFailure(status)) return parent.instance!.stepsDone(parent, status);
    const steps = this.steps;
    while (this.next < steps.length) {
      const step = steps[this.next++];
      if (taken(step, parent, this.ctx))
        return runStep(step, parent, this.outbound, this.ctx, this, 0);
    }
    parent.instance!.stepsDone(parent, Status.ok);
  }
}

function taken(step: Step, parent: Call, ctx: SimContext): boolean {
  if (step.probability >= 1) return true;
  const site = childSite(parent.site, step.salt);
  const request = parent.request;
  return (
    ctx.draws.begin(request.seedA, request.seedB, site, Purpose.branch).next() < step.probability
  );
}

/** Runs one step; its outcome goes to `waiter` as `branch`. */
function runStep(
  step: Step,
  parent: Call,
  outbound: Outbound,
  ctx: SimContext,
  waiter: Waiter,
  branch: number,
): void {
  if (step.kind === "call") {
    outbound.send(
      parent.request,
      step.target,
      childSite(parent.site, step.salt),
      waiter,
      branch,
      parent,
    );
    return;
  }
  // Branch draws are keyed (no state), so counting the branches taken and then running them
  // draws the same numbers twice instead of keeping a list.
  const branches = step.steps;
  let count = 0;
  for (let i = 0; i < branches.length; i++) if (taken(branches[i], parent, ctx)) count++;
  if (count === 0) return waiter.answered(Status.ok, branch);
  const join = new Join(count, waiter, branch);
  let k = 0;
  for (let i = 0; i < branches.length; i++)
    if (taken(branches[i], parent, ctx)) runStep(branches[i], parent, outbound, ctx, join, k++);
}

/** Waits for every branch of a parallel group; reports the first failure in file order (also a saga's groups). */
export class Join implements Waiter {
  private pending: number;
  /** The failed branch first in file order so far (Infinity: none), and its status. */
  private failedBranch = Infinity;
  private failedStatus: number = Status.ok;
  constructor(
    count: number,
    private readonly waiter: Waiter,
    private readonly branch: number,
  ) {
    this.pending = count;
  }

  answered(status: number, branch: number): void {
    if (isFailure(status) && branch < this.failedBranch) {
      this.failedBranch = branch;
      this.failedStatus = status;
    }
    if (--this.pending === 0) this.waiter.answered(this.failedStatus, this.branch);
  }
}
