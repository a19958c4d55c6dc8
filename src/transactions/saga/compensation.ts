// One compensation of a saga step (a refund, a stock release, an order cancelled), tried until it
// succeeds or its saga's retry policy runs out: each failed try is retried after Envoy's jittered
// exponential back-off (backoff.ts), or at once without back-off, which during an outage of the
// compensating service is the compensation storm (every saga that failed hammers it in a loop).
// Each try is a call from the orchestrator's instance through its sidecar (so the mesh's own retry
// policy applies inside each try), at its own call site, so its draws differ from the last try's.
import { childSite, Purpose } from "../../kernel/keyedDraws.ts";
import type { Firable } from "../../kernel/scheduler.ts";
import type { Call, Outbound } from "../../model/call.ts";
import type { SimContext } from "../../model/context.ts";
import type { Operation } from "../../model/operation.ts";
import { isFailure, type Waiter } from "../../model/request.ts";
import { compensationDelay } from "./backoff.ts";
import type { SagaCounts } from "./counts.ts";
import type { CompensationRetrySpec } from "./spec.ts";

/** The saga run a compensation belongs to (orchestrator.ts's SagaRun), as the compensation sees it. */
export interface CompensationOwner {
  readonly parent: Call;
  readonly outbound: Outbound;
  readonly ctx: SimContext;
  readonly measured: boolean;
  readonly counts: SagaCounts;
  readonly retry: CompensationRetrySpec;
  /** The compensation ended after its last try (`succeeded`: one try succeeded). */
  compensationEnded(succeeded: boolean): void;
}

export class CompensationCall implements Waiter, Firable {
  private tries = 0;

  constructor(
    private readonly run: CompensationOwner,
    private readonly target: Operation,
    private readonly site: number,
  ) {}

  /** Sends the next try. */
  send(): void {
    const run = this.run;
    const parent = run.parent;
    this.tries++;
    if (run.measured) run.counts.tried(run.ctx.scheduler.now, this.tries > 1);
    const site = childSite(this.site, this.tries);
    run.outbound.send(parent.request, this.target, site, this, 0, parent);
  }

  /** The back-off is over (a scheduled event): retry. */
  fire(): void {
    this.send();
  }

  answered(status: number): void {
    const run = this.run;
    if (!isFailure(status)) return run.compensationEnded(true);
    const retry = run.retry;
    if (this.tries >= retry.attempts) return run.compensationEnded(false);
    const request = run.parent.request;
    const u = run.ctx.draws
      .begin(request.seedA, request.seedB, childSite(this.site, -this.tries), Purpose.backoff)
      .next();
    run.ctx.scheduler.postFire(compensationDelay(retry, this.tries, u), this);
  }
}
