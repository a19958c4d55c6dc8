// Istio fault injection `delay` (with Toxiproxy's jitter): a share of the calls to some instances,
// or of one edge's calls, wait before they are sent.
import { scopeOf } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const delay: FaultVerb<"delay"> = {
  failsCallsInFlight: false,
  apply(fault, rng, ctx) {
    const { scope, targets } = scopeOf(fault.target, rng, ctx);
    return {
      undos: [
        ctx.world.actuator.delay({ scope, delay: fault.delay, percentage: fault.percentage }),
      ],
      targets,
    };
  },
};
