// Chaos Mesh network partition (turmoil's partition/repair): two sides, or one side and the rest,
// cannot reach each other until the fault ends.
import { describeSide, sideOf } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const partition: FaultVerb<"partition"> = {
  failsCallsInFlight: false,
  apply(fault, rng, ctx) {
    const sideA = sideOf(fault.target.sideA, rng, ctx);
    const sideB = fault.target.sideB === null ? null : sideOf(fault.target.sideB, rng, ctx);
    const undo = ctx.world.actuator.partition({ sideA, sideB });
    const targets =
      sideB === null ? [describeSide(sideA)] : [describeSide(sideA), describeSide(sideB)];
    return { undos: [undo], targets };
  },
};
