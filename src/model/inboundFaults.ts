// The fault timeline's delay and abort rules at an instance's inbound side (Istio
// HTTPFaultInjection on the server's sidecar): a hit call is delayed before it reaches the queue,
// then possibly answered at once with the abort's status. The rules themselves, and their keyed
// draws, are faultRules.ts's.

import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { Call } from "./call.ts";
import { FaultRules } from "./faultRules.ts";
import type { InboundRules, InboundTarget } from "./inbound.ts";

/** Inbound rules at an instance: delay the call's arrival, then maybe answer it at once. */
export class InboundFaults extends FaultRules implements InboundRules {
  constructor(
    private readonly draws: KeyedDraws,
    private readonly scheduler: { postAfter(delay: number, action: () => void): void },
  ) {
    super();
  }

  /** True when the rules took the call over (it is delayed, or answered at once). */
  intercept(call: Call, instance: InboundTarget): boolean {
    if (this.empty) return false;
    const delay = this.delayOf(call, this.draws);
    const status = this.abortOf(call, this.draws);
    if (delay === 0 && status === 0) return false;
    const proceed = (): void =>
      status !== 0 ? instance.answerAtOnce(call, status) : instance.admit(call);
    if (delay > 0) this.scheduler.postAfter(delay, proceed);
    else proceed();
    return true;
  }
}
