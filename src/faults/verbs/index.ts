// The fault kinds on the timeline: one registration line per kind, checked against FaultSpec so
// that every kind has a verb and every verb its spec. A kind's verb lives in its own file here;
// its file format in src/scenario/schema/faults/.
import type { Rng } from "../../kernel/random.ts";
import type { FaultEndpoint } from "../actuator.ts";
import type { FaultKind, FaultSpec } from "../spec.ts";
import type { Applied, ApplyContext } from "../world.ts";
import { abort } from "./abort.ts";
import { cpuStress } from "./cpuStress.ts";
import { delay } from "./delay.ts";
import { partition } from "./partition.ts";
import { podFailure } from "./podFailure.ts";
import { podKill } from "./podKill.ts";
import { registryOutage } from "./registryOutage.ts";
import type { FaultVerb } from "./verb.ts";

/** Every kind, in the order messages list them. */
const VERBS = {
  "pod-kill": podKill,
  "pod-failure": podFailure,
  delay,
  abort,
  "cpu-stress": cpuStress,
  partition,
  "registry-outage": registryOutage,
} satisfies { [K in FaultKind]: FaultVerb<K> };

export const FAULT_KINDS = Object.keys(VERBS) as FaultKind[];

/** Applies `fault`'s verb to the targets it selects now; returns its undos and the ids it hit. */
export function applyFault<E extends FaultEndpoint>(
  fault: FaultSpec,
  rng: Rng,
  ctx: ApplyContext<E>,
): Applied {
  return (VERBS[fault.kind] as FaultVerb<FaultKind>).apply(fault as never, rng, ctx);
}

/** Whether some fault fails calls in flight, so the model must track each instance's calls. */
export function faultsFailCallsInFlight(faults: readonly FaultSpec[]): boolean {
  return faults.some((fault) => VERBS[fault.kind].failsCallsInFlight);
}
