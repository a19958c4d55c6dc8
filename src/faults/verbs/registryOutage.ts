// The service registry stops answering (src/control/registry/'s outage verb): clients keep their
// last view until the fault ends.
import type { FaultVerb } from "./verb.ts";

export const registryOutage: FaultVerb<"registry-outage"> = {
  failsCallsInFlight: false,
  apply(fault, _rng, ctx) {
    const registry = ctx.world.registry;
    if (registry === undefined || registry === null)
      throw new Error(`fault ${fault.name} is a registry-outage, but the world has no registry`);
    return { undos: [registry.outage()], targets: ["registry"] };
  },
};
