// Choosing a fault's targets when it starts: Chaos Mesh's selector modes over a service's instances
// (drawn from the fault's own stream), an edge or instances for traffic faults, zones or instances
// for a partition's sides; and the ids a fault record lists.
import type { Rng } from "../kernel/random.ts";
import type { FaultEndpoint, PartitionSide, TrafficScope } from "./actuator.ts";
import type { InstanceTarget, PartitionSideTarget, Selection, TrafficTarget } from "./spec.ts";
import type { ApplyContext } from "./world.ts";

export function scopeOf<E extends FaultEndpoint>(
  target: TrafficTarget,
  rng: Rng,
  ctx: ApplyContext<E>,
): { scope: TrafficScope<E>; targets: string[] } {
  if (target.kind === "edge")
    return {
      scope: { kind: "edge", from: target.from, to: target.to },
      targets: [`${target.from}->${target.to}`],
    };
  const instances = select(target, rng, ctx);
  return { scope: { kind: "instances", instances }, targets: ids(instances) };
}

export function sideOf<E extends FaultEndpoint>(
  target: PartitionSideTarget,
  rng: Rng,
  ctx: ApplyContext<E>,
): PartitionSide<E> {
  if (target.kind === "zones") return { zones: target.zones, instances: [] };
  return { zones: [], instances: select(target, rng, ctx) };
}

export function describeSide<E extends FaultEndpoint>(side: PartitionSide<E>): string {
  return side.zones.length > 0 ? side.zones.join(",") : ids(side.instances).join(",");
}

export function ids(instances: readonly FaultEndpoint[]): string[] {
  return instances.map((instance) => instance.id);
}

/**
 * The target's instances by Chaos Mesh's mode, among those `eligible`, considered in id order;
 * the chosen ones come back in id order too. `one`, `fixed` and the percent modes draw from the
 * fault's stream now, when the fault starts (a partial Fisher–Yates shuffle, one draw per pick).
 */
export function select<E extends FaultEndpoint>(
  target: InstanceTarget,
  rng: Rng,
  ctx: ApplyContext<E>,
  eligible: (i: E) => boolean = () => true,
): E[] {
  const instances = ctx.services.get(target.service);
  if (instances === undefined)
    throw new Error(`fault target names service ${target.service}, which the world does not have`);
  // Pods that do not exist (standby slots, pods the control plane deleted) are never selected;
  // one a pod-kill took down stays selectable by the faults that allow it (a kill of a failed pod).
  const candidates = instances
    .filter((i) => eligible(i) && (i.phase !== "stopped" || ctx.down.has(i)))
    .sort(byId);
  return pick(candidates, howMany(target.selection, candidates.length, rng), rng).sort(byId);
}

/**
 * Chaos Mesh's counts (FilterObjectsByMode): a fixed count beyond the candidates takes them all;
 * percents round down with no minimum, so 30% of 2 instances selects none.
 */
export function howMany(selection: Selection, candidates: number, rng: Rng): number {
  switch (selection.mode) {
    case "one":
      return Math.min(1, candidates);
    case "all":
      return candidates;
    case "fixed":
      return Math.min(selection.count, candidates);
    case "fixed-percent":
      return Math.floor((candidates * selection.percent) / 100);
    case "random-max-percent": {
      const percent = Math.floor(rng.next() * (selection.maxPercent + 1));
      return Math.floor((candidates * percent) / 100);
    }
  }
}

/** `k` of `items` without replacement; all of them, and no draw, when k covers them. */
function pick<T>(items: readonly T[], k: number, rng: Rng): T[] {
  if (k >= items.length) return [...items];
  const pool = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/** Ids in natural order, so `order-2` comes before `order-10` (the services' index order). */
export function compareIds(a: string, b: string): number {
  const x = splitTrailingNumber(a);
  const y = splitTrailingNumber(b);
  if (x.stem !== y.stem) return x.stem < y.stem ? -1 : 1;
  if (x.number !== y.number) return x.number - y.number;
  return a < b ? -1 : a > b ? 1 : 0;
}

function byId(a: FaultEndpoint, b: FaultEndpoint): number {
  return compareIds(a.id, b.id);
}

function splitTrailingNumber(id: string): { stem: string; number: number } {
  const match = /^(.*?)(\d+)$/.exec(id);
  return match === null ? { stem: id, number: -1 } : { stem: match[1], number: Number(match[2]) };
}
