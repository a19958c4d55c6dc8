// How a fault kind appears in a scenario file: a strict map `{ name?, kind: <name>, at, ... }`
// named after Chaos Mesh (kinds, selectors), Istio HTTPFaultInjection (`delay`, `abort.httpStatus`,
// `percentage`) and Toxiproxy (latency `jitter`), and the fields several kinds share.
import { z } from "zod";
import type { FaultKind } from "../../../faults/spec.ts";
import { ISTIO_FAULT_INJECTION } from "../../defaults.ts";
import { duration, expecting, fields, name } from "../leaves.ts";
import { NAME_PATTERN } from "../patterns.ts";

export function kindShape<K extends FaultKind, S extends z.core.$ZodLooseShape>(
  faultKind: K,
  shape: S,
) {
  return fields(`a ${faultKind} fault`, {
    name: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("Unique; default <kind>-<index>."),
    kind: z.literal(faultKind),
    at: duration("nonnegative").describe("When the fault starts, in simulated time."),
    ...shape,
  });
}

export const lasting = duration("positive")
  .optional()
  .describe("How long the fault lasts; absent: until the end of the run.");
export const percentage = z
  .number({ error: expecting("a percent from 0 to 100") })
  .min(0)
  .max(100)
  .default(ISTIO_FAULT_INJECTION.percentage)
  .describe("Share of calls affected (Istio percentage.value), default 100.");
