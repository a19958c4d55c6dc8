// Puts faults on the simulated clock: at `at` a fault selects its targets (Chaos Mesh's selector
// modes, drawn from the fault's own stream `faults/<name>/targets`) and applies its verb; at `at +
// duration` it calls the exact Undo it got (turmoil's paired verbs). Windows are half-open: at one
// instant every ending fault is undone before any starting one applies. Leaves out repeating faults.
import type { RandomStreams, Rng } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { Instance } from "../model/instance.ts";
import type { FaultActuator, PartitionSide, TrafficScope, Undo } from "./actuator.ts";
import type {
  FaultRecord,
  FaultSpec,
  InstanceTarget,
  PartitionSideTarget,
  Selection,
  TrafficTarget,
} from "./types.ts";
import { faultEndMs } from "./types.ts";

/** What the timeline needs of a built world. Services are looked up by name. */
export interface FaultWorld {
  services: readonly { name: string; instances: readonly Instance[] }[];
  scheduler: Scheduler;
  streams: RandomStreams;
  actuator: FaultActuator;
  /** The registry's outage verb (src/control/registry/), or absent when the scenario has no registry. */
  registry?: { outage(): Undo } | null;
}

interface Applied {
  /** The undos to call when the fault ends, in the order the verbs were applied. */
  undos: Undo[];
  targets: string[];
}

/** A fault while the run goes: its stream, and once it has started, its undos and record. */
interface Plan {
  fault: FaultSpec;
  rng: Rng;
  applied: Applied | null;
  record: FaultRecord | null;
}

/**
 * Schedules every fault on `world.scheduler` (call before the run starts, with the clock at or
 * before the earliest `at`). Returns the records, which the run fills in as faults start and end:
 * in start order, ties in list order.
 */
export function scheduleFaults(faults: readonly FaultSpec[], world: FaultWorld): FaultRecord[] {
  const records: FaultRecord[] = [];
  const services = new Map(world.services.map((service) => [service.name, service.instances]));
  /** Instances a pod-kill has taken down and not yet restarted: a later pod-kill selects among the others. */
  const down = new Set<Instance>();
  const plans: Plan[] = faults.map((fault) => ({
    fault,
    rng: world.streams.get(`faults/${fault.name}/targets`),
    applied: null,
    record: null,
  }));

  const start = (plan: Plan): void => {
    const applied = apply(plan.fault, plan.rng, { world, services, down });
    plan.applied = applied;
    plan.record = {
      name: plan.fault.name,
      kind: plan.fault.kind,
      startMs: world.scheduler.now,
      endMs: null,
      targets: applied.targets,
    };
    records.push(plan.record);
  };
  const end = (plan: Plan): void => {
    if (plan.applied === null || plan.record === null)
      throw new Error(`fault ${plan.fault.name} ended before it started`);
    for (const undo of plan.applied.undos) undo();
    plan.record.endMs = world.scheduler.now;
  };
  // Ends are posted before starts, so the event list's FIFO tie-break runs them first at one instant.
  for (const plan of plans) {
    const endMs = faultEndMs(plan.fault);
    if (endMs !== null) world.scheduler.post(endMs, () => end(plan));
  }
  for (const plan of plans) world.scheduler.post(plan.fault.atMs, () => start(plan));
  return records;
}

interface ApplyContext {
  world: FaultWorld;
  services: ReadonlyMap<string, readonly Instance[]>;
  down: Set<Instance>;
}

function apply(fault: FaultSpec, rng: Rng, ctx: ApplyContext): Applied {
  const actuator = ctx.world.actuator;
  switch (fault.kind) {
    case "pod-kill": {
      const instances = select(fault.target, rng, ctx, (instance) => !ctx.down.has(instance));
      for (const instance of instances) {
        ctx.down.add(instance);
        // A pod the kubelet restarts (a supervisor) is up again, and can be killed again.
        actuator.kill(instance, () => ctx.down.delete(instance));
      }
      const restarts = instances.map((instance) => () => {
        if (ctx.down.delete(instance)) actuator.restart(instance);
      });
      return { undos: restarts, targets: ids(instances) };
    }
    case "pod-failure": {
      const instances = select(fault.target, rng, ctx);
      return {
        undos: instances.map((instance) => actuator.fail(instance)),
        targets: ids(instances),
      };
    }
    case "cpu-stress": {
      const instances = select(fault.target, rng, ctx);
      return {
        undos: instances.map((instance) => actuator.stress(instance, fault.factor)),
        targets: ids(instances),
      };
    }
    case "delay": {
      const { scope, targets } = scopeOf(fault.target, rng, ctx);
      return {
        undos: [actuator.delay({ scope, delay: fault.delay, percentage: fault.percentage })],
        targets,
      };
    }
    case "abort": {
      const { scope, targets } = scopeOf(fault.target, rng, ctx);
      return {
        undos: [
          actuator.abort({ scope, httpStatus: fault.httpStatus, percentage: fault.percentage }),
        ],
        targets,
      };
    }
    case "registry-outage": {
      const registry = ctx.world.registry;
      if (registry === undefined || registry === null)
        throw new Error(`fault ${fault.name} is a registry-outage, but the world has no registry`);
      return { undos: [registry.outage()], targets: ["registry"] };
    }
    case "partition": {
      const sideA = sideOf(fault.target.sideA, rng, ctx);
      const sideB = fault.target.sideB === null ? null : sideOf(fault.target.sideB, rng, ctx);
      const undo = actuator.partition({ sideA, sideB });
      const targets =
        sideB === null ? [describeSide(sideA)] : [describeSide(sideA), describeSide(sideB)];
      return { undos: [undo], targets };
    }
  }
}

function scopeOf(
  target: TrafficTarget,
  rng: Rng,
  ctx: ApplyContext,
): { scope: TrafficScope; targets: string[] } {
  if (target.kind === "edge")
    return {
      scope: { kind: "edge", from: target.from, to: target.to },
      targets: [`${target.from}->${target.to}`],
    };
  const instances = select(target, rng, ctx);
  return { scope: { kind: "instances", instances }, targets: ids(instances) };
}

function sideOf(target: PartitionSideTarget, rng: Rng, ctx: ApplyContext): PartitionSide {
  if (target.kind === "zones") return { zones: target.zones, instances: [] };
  return { zones: [], instances: select(target, rng, ctx) };
}

function describeSide(side: PartitionSide): string {
  return side.zones.length > 0 ? side.zones.join(",") : ids(side.instances).join(",");
}

function ids(instances: readonly Instance[]): string[] {
  return instances.map((instance) => instance.id);
}

// ---------------------------------------------------------------------------------------------
// Selection.

/**
 * The target's instances by Chaos Mesh's mode, among those `eligible`, considered in id order;
 * the chosen ones come back in id order too. `one`, `fixed` and the percent modes draw from the
 * fault's stream now, when the fault starts (a partial Fisher–Yates shuffle, one draw per pick).
 */
function select(
  target: InstanceTarget,
  rng: Rng,
  ctx: ApplyContext,
  eligible: (i: Instance) => boolean = () => true,
): Instance[] {
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

function byId(a: Instance, b: Instance): number {
  return compareIds(a.id, b.id);
}

function splitTrailingNumber(id: string): { stem: string; number: number } {
  const match = /^(.*?)(\d+)$/.exec(id);
  return match === null ? { stem: id, number: -1 } : { stem: match[1], number: Number(match[2]) };
}
