// Puts faults on the simulated clock: at `at` a fault selects its targets (Chaos Mesh's selector
// modes, drawn from the fault's own stream `faults/<name>/targets`) and applies its verb; at `at +
// duration` it calls the exact Undo it got (turmoil's paired verbs). Windows are half-open: at one
// instant every ending fault is undone before any starting one applies. Leaves out repeating faults.
import type { Rng } from "../kernel/random.ts";
import type { FaultEndpoint } from "./actuator.ts";
import type { FaultRecord, FaultSpec } from "./spec.ts";
import { faultEndMs } from "./spec.ts";
import { applyFault } from "./verbs/index.ts";
import type { Applied, FaultWorld } from "./world.ts";

export type { FaultWorld } from "./world.ts";

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
export function scheduleFaults<E extends FaultEndpoint>(
  faults: readonly FaultSpec[],
  world: FaultWorld<E>,
): FaultRecord[] {
  const records: FaultRecord[] = [];
  const services = new Map(world.services.map((service) => [service.name, service.instances]));
  /** Instances a pod-kill has taken down and not yet restarted: a later pod-kill selects among the others. */
  const down = new Set<E>();
  const plans: Plan[] = faults.map((fault) => ({
    fault,
    rng: world.streams.get(`faults/${fault.name}/targets`),
    applied: null,
    record: null,
  }));

  const start = (plan: Plan): void => {
    const applied = applyFault(plan.fault, plan.rng, { world, services, down });
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
