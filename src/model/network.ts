// The network between a caller's proxy and an instance: one-way latency drawn per hop and per
// direction from the request's keyed draws, plus a cross-zone cost when the caller's zone differs
// from the instance's (a caller with no zone, such as an external load client, pays none). A
// constant zero latency delivers in the same event, which keeps M/M/1 models at two events per
// customer. Partitions come with the fault timeline.
import type { Distribution } from "../kernel/distribution.ts";
import { Purpose, type KeyedDraws } from "../kernel/keyedDraws.ts";
import type { EndUserRequest } from "./request.ts";

export class Network {
  readonly instantaneous: boolean;

  constructor(
    private readonly latency: Distribution,
    private readonly crossZone: Distribution,
    private readonly draws: KeyedDraws,
  ) {
    this.instantaneous = isZero(latency) && isZero(crossZone);
  }

  /** One-way delay of the request leg (`back` false) or response leg (`back` true) at `site`. */
  delay(request: EndUserRequest, site: number, back: boolean, crossesZones: boolean): number {
    const latency = this.latency;
    const crossZone = this.crossZone;
    // One keyed sequence per leg: the hop latency takes its first draw(s), the cross-zone extra
    // the next, so a leg costs one re-keying however many parts it has.
    const rng =
      latency.isConstant && (!crossesZones || crossZone.isConstant)
        ? null
        : this.draws.begin(request.seedA, request.seedB, site, back ? Purpose.networkBack : Purpose.networkOut);
    const base = latency.isConstant ? latency.mean : latency.sample(rng!);
    if (!crossesZones) return base;
    return base + (crossZone.isConstant ? crossZone.mean : crossZone.sample(rng!));
  }
}

function isZero(d: Distribution): boolean {
  return d.isConstant && d.mean === 0;
}
