// Delay and abort rules of the fault timeline as they act on calls: Istio HTTPFaultInjection
// semantics (a delay of the request, then possibly an abort with an HTTP status, each applied to a
// percentage of calls). Whether a rule hits a call is a keyed draw of the call's request, so every
// variant of a comparison delays and aborts the same calls. Rules are added and removed by the
// fault actuator; with none in force the model pays nothing.
import type { Distribution } from "../kernel/distribution.ts";
import { childSite, type KeyedDraws, Purpose } from "../kernel/keyedDraws.ts";
import type { EndUserRequest } from "./request.ts";

/** What a rule's draws are keyed by: the call's request and its call site (a Call is one). */
export interface KeyedCall {
  readonly request: EndUserRequest;
  readonly site: number;
}

export interface ActiveDelay {
  delay: Distribution;
  /** 0..100 */
  percentage: number;
  /** Distinguishes rules' draws. */
  salt: number;
}

export interface ActiveAbort {
  httpStatus: number;
  percentage: number;
  salt: number;
}

/** The delay and abort rules in force at one place (an instance's inbound side, or an edge). */
export class FaultRules {
  readonly delays: ActiveDelay[] = [];
  readonly aborts: ActiveAbort[] = [];

  get empty(): boolean {
    return this.delays.length === 0 && this.aborts.length === 0;
  }

  /** Total extra delay for this call (0 when no rule hits it). */
  delayOf(call: KeyedCall, draws: KeyedDraws): number {
    let total = 0;
    for (const rule of this.delays) {
      const rng = draws.begin(
        call.request.seedA,
        call.request.seedB,
        childSite(call.site, rule.salt),
        Purpose.fault,
      );
      if (rng.next() * 100 < rule.percentage) total += rule.delay.sample(rng);
    }
    return total;
  }

  /** The status of the first abort rule that hits this call, or 0. */
  abortOf(call: KeyedCall, draws: KeyedDraws): number {
    for (const rule of this.aborts) {
      const rng = draws.begin(
        call.request.seedA,
        call.request.seedB,
        childSite(call.site, rule.salt),
        Purpose.fault,
      );
      if (rng.next() * 100 < rule.percentage) return rule.httpStatus;
    }
    return 0;
  }
}
