// The shape of one fault kind on the timeline: how it is applied when it starts (returning the
// exact undos for its end), and whether the model must track each instance's calls for it.
import type { Rng } from "../../kernel/random.ts";
import type { FaultEndpoint } from "../actuator.ts";
import type { FaultKind, FaultSpec } from "../spec.ts";
import type { Applied, ApplyContext } from "../world.ts";

export interface FaultVerb<K extends FaultKind> {
  apply<E extends FaultEndpoint>(
    fault: Extract<FaultSpec, { kind: K }>,
    rng: Rng,
    ctx: ApplyContext<E>,
  ): Applied;
  /** The verb fails an instance's calls in flight, so the model must know them (tracksCalls). */
  readonly failsCallsInFlight: boolean;
}
