// An operation's business effects as a hook the model calls when a call's work commits
// (model/effects.ts): each declared effect goes into the ledger for the call's order, at the
// simulated time of the commit. One per operation that declares effects; none otherwise.
import type { EffectHook } from "../model/effects.ts";
import type { EndUserRequest } from "../model/request.ts";
import type { OrderLedger } from "./ledger.ts";
import type { EffectSpec } from "./spec.ts";

export class OperationEffects implements EffectHook {
  constructor(
    private readonly effects: readonly EffectSpec[],
    private readonly ledger: OrderLedger,
    private readonly clock: { readonly now: number },
  ) {}

  committed(request: EndUserRequest): void {
    const now = this.clock.now;
    for (const effect of this.effects) this.ledger.apply(request, effect.kind, effect.amount, now);
  }
}
