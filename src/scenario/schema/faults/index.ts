// The `faults` list of a scenario file: one format per kind (its own file here), one registration
// line each, checked against the timeline's kinds (src/faults/verbs/) so the two cannot disagree.
// Shapes, values and relations within one fault only: services, loads, zones, instance counts
// and names are the resolver's (src/scenario/resolve/faults.ts).
import { z } from "zod";
import type { FaultKind } from "../../../faults/spec.ts";
import { FAULT_KINDS } from "../../../faults/verbs/index.ts";
import { describeFound, expecting } from "../leaves.ts";
import { abort } from "./abort.ts";
import { cpuStress } from "./cpuStress.ts";
import { delay } from "./delay.ts";
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

const FORMATS = {
  "pod-kill": podKill,
  "pod-failure": podFailure,
  delay,
  abort,
  "cpu-stress": cpuStress,
  partition,
  "registry-outage": registryOutage,
} satisfies { [K in FaultKind]: z.ZodType<{ kind: K }, unknown> };

type Schemas = (typeof FORMATS)[FaultKind];

const KIND_WHAT = `a fault kind, one of ${FAULT_KINDS.join(", ")}`;

const faultEntry = z.discriminatedUnion(
  "kind",
  FAULT_KINDS.map((kind) => FORMATS[kind]) as [Schemas, ...Schemas[]],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union")
        return expecting("a fault (a map with kind, at and target)")(issue);
      const found = (issue.input as Record<string, unknown> | undefined)?.kind;
      return found === undefined
        ? `is required; expected ${KIND_WHAT}`
        : `expected ${KIND_WHAT}, found ${describeFound(found)}`;
    },
  },
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
