// Chaos Mesh stress (CPU): the selected instances' service times are multiplied by `factor`.
import { ids, select } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const cpuStress: FaultVerb<"cpu-stress"> = {
  failsCallsInFlight: false,
  apply(fault, rng, ctx) {
    const instances = select(fault.target, rng, ctx);
    return {
      undos: instances.map((instance) => ctx.world.actuator.stress(instance, fault.factor)),
      targets: ids(instances),
    };
  },
};
