// What a fault verb works on: the built world as the timeline sees it, the context one fault's
// start is applied in (instances a pod-kill holds down), and what applying it leaves to undo.
import type { RandomStreams } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { FaultActuator, FaultEndpoint, Undo } from "./actuator.ts";

/** What the timeline needs of a built world whose instances are `E`s. Services are looked up by name. */
export interface FaultWorld<E extends FaultEndpoint> {
  services: readonly { name: string; instances: readonly E[] }[];
  scheduler: Scheduler;
  streams: RandomStreams;
  actuator: FaultActuator<E>;
  /** The registry's outage verb (src/control/registry/), or absent when the scenario has no registry. */
  registry?: { outage(): Undo } | null;
}

export interface Applied {
  /** The undos to call when the fault ends, in the order the verbs were applied. */
  undos: Undo[];
  targets: string[];
}

export interface ApplyContext<E extends FaultEndpoint> {
  world: FaultWorld<E>;
  services: ReadonlyMap<string, readonly E[]>;
  down: Set<E>;
}
