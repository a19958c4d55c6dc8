// The network between a caller's proxy and an instance: one-way latency drawn per hop and per
// direction from the request's keyed draws, plus a cross-zone cost when the caller's zone differs
// from the instance's (a caller with no zone, such as an external load client, pays none), or a
// cross-region cost instead when their regions differ (scenario `regions`). A
// constant zero latency delivers in the same event, which keeps M/M/1 models at two events per
// customer. Partitions and edge delay and abort rules come with the fault timeline; `judge` turns
// them into one verdict per try, as turmoil's network rules do.
import type { Distribution } from "../kernel/distribution.ts";
import { type KeyedDraws, type KeyedSite, Purpose } from "../kernel/keyedDraws.ts";
import type { Endpoint } from "./endpoint.ts";
import { FaultRules, type KeyedCall } from "./faultRules.ts";

/** One side of a partition: zones and/or instances. A caller is on a side when its zone or its instance is. */
export interface PartitionSet {
  zones: ReadonlySet<string>;
  instances: ReadonlySet<Endpoint>;
}

/** What a leg's delay depends on: the call's keyed draws and whether it crosses zones or regions. */
export interface Leg extends KeyedSite {
  readonly crossesZones: boolean;
  readonly crossesRegions: boolean;
}

/**
 * The network's verdict on one try (turmoil's: the first rule that does not pass wins). `pass`:
 * the request leg takes its latency; `delay`: that plus `Network.verdictDelayMs`; `unreachable`: a
 * partition lies between, so the connect goes unanswered (the caller's connect timeout decides when
 * it fails); `abort`: an edge fault answers at once with `Network.verdictStatus`.
 */
export const NetworkVerdict = { pass: 0, delay: 1, unreachable: 2, abort: 3 } as const;
export type NetworkVerdictCode = (typeof NetworkVerdict)[keyof typeof NetworkVerdict];

export class Network {
  readonly instantaneous: boolean;
  /** The extra delay of the last `delay` verdict (ms). Valid until the next `judge`. */
  verdictDelayMs = 0;
  /** The HTTP status of the last `abort` verdict. Valid until the next `judge`. */
  verdictStatus = 0;
  /** The delay of the last `leg` (ms). Valid until the next `leg`. */
  legMs = 0.5;
  /**
   * Whether the last `leg`'s delay was a constant (the hop latency, or it plus a constant
   * cross-zone or cross-region extra: at most three values in a run), so the event list can keep
   * such legs in a lane of their own (Scheduler.postFireFixed).
   */
  legFixed = false;
  /** Partitions in force (two sides each; side B null = everything not on side A). */
  private readonly partitions: { a: PartitionSet; b: PartitionSet | null }[] = [];
  /** Delay and abort rules on edges, by "caller->service". */
  private readonly edgeRules = new Map<string, FaultRules>();

  constructor(
    private readonly latency: Distribution,
    private readonly crossZone: Distribution,
    private readonly draws: KeyedDraws,
    /** Added instead of crossZone between regions (default: crossZone, for callers with no regions). */
    private readonly crossRegion: Distribution = crossZone,
  ) {
    this.instantaneous = isZero(latency) && isZero(crossZone) && isZero(crossRegion);
  }

  /**
   * One-way delay of `call`'s request leg (`back` false) or response leg (`back` true), left
   * in `legMs` rather than returned: `leg` is too large to inline into its callers, and a double
   * returned from a call that is not inlined is boxed into a new heap number (a leg's delay was
   * the loop's largest allocation after the sidecar's calls), where a double field is written in
   * place.
   */
  leg(call: Leg, back: boolean): void {
    const latency = this.latency;
    const crosses = call.crossesZones || call.crossesRegions;
    const crossZone = call.crossesRegions ? this.crossRegion : this.crossZone;
    if (latency.isConstant && (!crosses || crossZone.isConstant)) {
      this.legMs = crosses ? latency.mean + crossZone.mean : latency.mean;
      this.legFixed = true;
      return;
    }
    // One keyed sequence per leg: the hop latency takes its first draw (none if it is constant),
    // the cross-zone extra the next, so a leg costs one re-keying however many parts it has.
    // The parts are summed by a loop from -0 (-0 + x is exactly x, the additive identity) so that
    // `sample` has one call site here: with two, V8's inlining budget ran out before the second
    // and its draw came back boxed into a new heap number. (`sample` of a constant is its mean:
    // written as a choice between the mean and a draw, V8 boxed the double it chose.)
    const rng = this.draws.beginFor(call, back ? Purpose.networkBack : Purpose.networkOut);
    const parts = crosses ? 2 : 1;
    let ms = -0;
    for (let part = 0; part < parts; part++) ms += (part === 0 ? latency : crossZone).sample(rng);
    this.legMs = ms;
    this.legFixed = false;
  }

  /**
   * The verdict on `call`, sent by caller `source` (a service name or `load:<name>`) from `zone`
   * (and its instance, if any) to `target`: partitions first, then the edge's abort rules, then its
   * delay rules (whose draws are the call's own, keyed by rule).
   */
  judge(
    source: string,
    zone: string | null,
    caller: Endpoint | null,
    target: Endpoint,
    call: KeyedCall,
  ): NetworkVerdictCode {
    if (this.partitions.length > 0 && this.isCut(zone, caller, target))
      return NetworkVerdict.unreachable;
    const rules = this.rulesOf(source, target.service.name);
    if (rules === null) return NetworkVerdict.pass;
    const status = rules.abortOf(call, this.draws);
    if (status !== 0) {
      this.verdictStatus = status;
      return NetworkVerdict.abort;
    }
    const extra = rules.delayOf(call, this.draws);
    if (extra === 0) return NetworkVerdict.pass;
    this.verdictDelayMs = extra;
    return NetworkVerdict.delay;
  }

  get partitioned(): boolean {
    return this.partitions.length > 0;
  }

  /** Whether a partition separates a caller (its zone, and its instance if any) from `target`. */
  isCut(zone: string | null, caller: Endpoint | null, target: Endpoint): boolean {
    for (const { a, b } of this.partitions) {
      const callerOnA = onSide(a, zone, caller);
      const targetOnA = onSide(a, target.zone, target);
      if (b === null) {
        if (callerOnA !== targetOnA) return true;
      } else if (
        (callerOnA && onSide(b, target.zone, target)) ||
        (targetOnA && onSide(b, zone, caller))
      ) {
        return true;
      }
    }
    return false;
  }

  /** Adds a partition; returns its exact undo. */
  partition(a: PartitionSet, b: PartitionSet | null): () => void {
    const entry = { a, b };
    this.partitions.push(entry);
    return () => {
      const i = this.partitions.indexOf(entry);
      if (i >= 0) this.partitions.splice(i, 1);
    };
  }

  /** The delay and abort rules of edge caller -> service, or null when none are in force. */
  rulesOf(caller: string, service: string): FaultRules | null {
    if (this.edgeRules.size === 0) return null;
    const rules = this.edgeRules.get(`${caller}->${service}`);
    return rules === undefined || rules.empty ? null : rules;
  }

  /** The rules of an edge, created on first use (for the fault actuator). */
  edgeRulesFor(caller: string, service: string): FaultRules {
    const key = `${caller}->${service}`;
    let rules = this.edgeRules.get(key);
    if (rules === undefined) this.edgeRules.set(key, (rules = new FaultRules()));
    return rules;
  }
}

/** Whether a caller (zone, and instance if it is one) is on this side of a partition. */
function onSide(side: PartitionSet, zone: string | null, instance: Endpoint | null): boolean {
  return (
    (zone !== null && side.zones.has(zone)) || (instance !== null && side.instances.has(instance))
  );
}

function isZero(d: Distribution): boolean {
  return d.isConstant && d.mean === 0;
}
