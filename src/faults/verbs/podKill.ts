// Chaos Mesh pod-kill: the selected instances die now (their calls fail); at `restartAfter` the
// ones still down restart. A killed pod the kubelet restarts first can be killed again.
import { ids, select } from "../select.ts";
import type { FaultVerb } from "./verb.ts";

export const podKill: FaultVerb<"pod-kill"> = {
  failsCallsInFlight: true,
  apply(fault, rng, ctx) {
    const actuator = ctx.world.actuator;
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
  },
};
