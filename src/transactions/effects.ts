// An operation's business effects as a hook the model calls when a call's work commits
// (model/effects.ts): each declared effect goes into the ledger for the call's order, at the
// simulated time of the commit. One per operation that declares effects; none otherwise.
import type { EffectHook } from "../model/effects.ts";
import type { EndUserRequest } from "../model/request.ts";
import type { OrderLedger } from "./ledger.ts";
import { EFFECT_KINDS, type EffectSpec } from "./spec.ts";

export class OperationEffects implements EffectHook {
  /** Each effect's kind as its index in EFFECT_KINDS, and its amount. */
  private readonly kinds: number[];
  private readonly amounts: number[];

  constructor(
    effects: readonly EffectSpec[],
    private readonly ledger: OrderLedger,
    private readonly clock: { readonly now: number },
  ) {
    this.kinds = effects.map((e) => EFFECT_KINDS.indexOf(e.kind));
    this.amounts = effects.map((e) => e.amount);
  }

  committed(request: EndUserRequest): void {
    const now = this.clock.now;
    const kinds = this.kinds;
    for (let i = 0; i < kinds.length; i++)
      this.ledger.applyCode(request, kinds[i], this.amounts[i], now);
  }
}
