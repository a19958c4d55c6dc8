// What a fault verb works on: the built world as the timeline sees it, the context one fault's
// start is applied in (instances a pod-kill holds down), and what applying it leaves to undo.
import type { RandomStreams } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { Instance } from "../model/instance.ts";
import type { FaultActuator, Undo } from "./actuator.ts";

/** What the timeline needs of a built world. Services are looked up by name. */
export interface FaultWorld {
  services: readonly { name: string; instances: readonly Instance[] }[];
  scheduler: Scheduler;
  streams: RandomStreams;
  actuator: FaultActuator;
  /** The registry's outage verb (src/control/registry/), or absent when the scenario has no registry. */
  registry?: { outage(): Undo } | null;
}

export interface Applied {
  /** The undos to call when the fault ends, in the order the verbs were applied. */
  undos: Undo[];
  targets: string[];
}

export interface ApplyContext {
  world: FaultWorld;
  services: ReadonlyMap<string, readonly Instance[]>;
  down: Set<Instance>;
}
