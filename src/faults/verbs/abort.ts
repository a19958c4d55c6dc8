// Istio fault injection `abort`: a share of the calls to some instances, or of one edge's calls,
// get `httpStatus` at once.
import { scopeOf } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const abort: FaultVerb<"abort"> = {
  failsCallsInFlight: false,
  apply(fault, rng, ctx) {
    const { scope, targets } = scopeOf(fault.target, rng, ctx);
    return {
      undos: [
        ctx.world.actuator.abort({
          scope,
          httpStatus: fault.httpStatus,
          percentage: fault.percentage,
        }),
      ],
      targets,
    };
  },
};
