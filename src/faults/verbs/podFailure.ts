// Chaos Mesh pod-failure: the selected instances stay up but answer nothing until the fault ends.
import { ids, select } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const podFailure: FaultVerb<"pod-failure"> = {
  failsCallsInFlight: true,
  apply(fault, rng, ctx) {
    const instances = select(fault.target, rng, ctx);
    return {
      undos: instances.map((instance) => ctx.world.actuator.fail(instance)),
      targets: ids(instances),
    };
  },
};
