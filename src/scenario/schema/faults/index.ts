// The `faults` list of a scenario file: one module per kind (its own file here: its format and its
// conversion to the timeline's FaultSpec), one registration line each, checked against the
// timeline's kinds (src/faults/verbs/) so the two cannot disagree. The format holds shapes, values
// and relations within one fault; the conversion checks the services, loads and zones its target
// names (src/scenario/resolve/faultTargets.ts); `at` and names are src/scenario/resolve/faults.ts's.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { z } from "zod";
import type { FaultKind, FaultSpec } from "../../../faults/spec.ts";
import { FAULT_KINDS } from "../../../faults/verbs/index.ts";
import type { PathSegment } from "../../path.ts";
import type { FaultContext } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { expecting, taggedUnionError } from "../leaves.ts";
import { abort } from "./abort.ts";
import { cpuStress } from "./cpuStress.ts";
import { delay } from "./delay.ts";
import type { FaultKindFormat, FaultStart } from "./format.ts";
import { partition } from "./partition.ts";
import { podFailure } from "./podFailure.ts";
import { podKill } from "./podKill.ts";
import { registryOutage } from "./registryOutage.ts";

export type {
  RawPartitionSide,
  RawPartitionTarget,
  RawSelectorTarget,
  RawTrafficTarget,
} from "./targets.ts";

const KINDS = {
  "pod-kill": podKill,
  "pod-failure": podFailure,
  delay,
  abort,
  "cpu-stress": cpuStress,
  partition,
  "registry-outage": registryOutage,
} satisfies { [K in FaultKind]: FaultKindFormat<z.ZodType<{ kind: K }, unknown>> };

type Schemas = (typeof KINDS)[FaultKind]["format"];

const KIND_WHAT = `a fault kind, one of ${FAULT_KINDS.join(", ")}`;

/** One fault; built when a file has `faults:` (../deferred.ts). */
const faultEntry = deferred(() =>
  z.discriminatedUnion(
    "kind",
    FAULT_KINDS.map((kind) => KINDS[kind].format) as [Schemas, ...Schemas[]],
    {
      error: taggedUnionError("kind", "a fault (a map with kind, at and target)", KIND_WHAT),
    },
  ),
);

/** The `faults` root field: a list, empty by default. */
export const faultsSchema = z
  .array(faultEntry, { error: expecting("a list of faults") })
  .default([])
  .describe(
    "Faults on the simulated clock: Chaos Mesh kinds and selectors, Istio delay/abort, Toxiproxy jitter.",
  );

/** One fault after structural validation: durations in ms, optional fields still optional. */
export type RawFault = z.output<typeof faultEntry>;

/** `fault` as the timeline's FaultSpec, by its kind's conversion (its target checked against `ctx`). */
export function convertFault(
  fault: RawFault,
  start: FaultStart,
  targetPath: PathSegment[],
  ctx: FaultContext,
): FaultSpec {
  const kind = KINDS[fault.kind] as FaultKindFormat<z.ZodType<{ kind: FaultKind }, unknown>>;
  return kind.convert(fault, start, targetPath, ctx);
}
