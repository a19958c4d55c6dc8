// The network between a caller's proxy and an instance: one-way latency drawn per hop and per
// direction from the request's keyed draws. A constant zero latency delivers in the same event,
// which keeps M/M/1-style models at two events per customer. Zones and partitions come later.
import type { Distribution } from "../kernel/distribution.ts";
import { Purpose, type KeyedDraws } from "../kernel/keyedDraws.ts";
import type { EndUserRequest } from "./request.ts";

export class Network {
  readonly instantaneous: boolean;

  constructor(private readonly latency: Distribution, private readonly draws: KeyedDraws) {
    this.instantaneous = latency.isConstant && latency.mean === 0;
  }

  /** One-way delay of the request leg (`back` false) or response leg (`back` true) at `site`. */
  delay(request: EndUserRequest, site: number, back: boolean): number {
    if (this.latency.isConstant) return this.latency.mean;
    const purpose = back ? Purpose.networkBack : Purpose.networkOut;
    return this.latency.sample(this.draws.begin(request.seedA, request.seedB, site, purpose));
  }
}
