// Runs an operation's downstream steps in order. A `call` step sends one call through the
// caller's proxy and waits for its answer; a `parallel` step starts all its branches at once and
// waits for every one (like joining futures). A step with probability p < 1 runs only when the
// request's keyed branch draw falls below p. The first failed step fails the operation with the
// failed call's status, and later steps are skipped; in a parallel group the failure reported is
// that of the first branch in file order that failed.
import { childSite, Purpose } from "../kernel/keyedDraws.ts";
import { Call, type Outbound } from "./call.ts";
import type { SimContext } from "./context.ts";
import { isFailure, Status, type Reply } from "./request.ts";
import type { Step } from "./service.ts";

export function runSteps(steps: Step[], parent: Call, outbound: Outbound, ctx: SimContext, done: Reply): void {
  let next = 0;
  const advance = (status: number): void => {
    if (isFailure(status)) return done(status);
    while (next < steps.length) {
      const step = steps[next++];
      if (taken(step, parent, ctx)) return runStep(step, parent, outbound, ctx, advance);
    }
    done(Status.ok);
  };
  advance(Status.ok);
}

function taken(step: Step, parent: Call, ctx: SimContext): boolean {
  if (step.probability >= 1) return true;
  const site = childSite(parent.site, step.salt);
  const request = parent.request;
  return ctx.draws.begin(request.seedA, request.seedB, site, Purpose.branch).next() < step.probability;
}

function runStep(step: Step, parent: Call, outbound: Outbound, ctx: SimContext, done: Reply): void {
  if (step.kind === "call") {
    outbound.send(new Call(parent.request, step.target, childSite(parent.site, step.salt), done));
    return;
  }
  const branches = step.steps.filter((branch) => taken(branch, parent, ctx));
  if (branches.length === 0) return done(Status.ok);
  const statuses = new Array<number>(branches.length).fill(Status.ok);
  let pending = branches.length;
  branches.forEach((branch, i) =>
    runStep(branch, parent, outbound, ctx, (status) => {
      statuses[i] = status;
      if (--pending === 0) done(statuses.find(isFailure) ?? Status.ok);
    }),
  );
}
