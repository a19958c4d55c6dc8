// How a fault kind appears in a scenario file: a strict map `{ name?, kind: <name>, at, ... }`
// named after Chaos Mesh (kinds, selectors), Istio HTTPFaultInjection (`delay`, `abort.httpStatus`,
// `percentage`) and Toxiproxy (latency `jitter`), the fields several kinds share, and the shape of
// a kind's module: its format beside its conversion to the timeline's FaultSpec.
import { z } from "zod";
import type { FaultKind, FaultSpec } from "../../../faults/spec.ts";
import { ISTIO_FAULT_INJECTION } from "../../defaults.ts";
import type { PathSegment } from "../../path.ts";
import type { FaultContext } from "../../resolve/faultTargets.ts";
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

/** What every fault's spec starts with: its name (given or `<kind>-<index>`) and start time. */
export interface FaultStart {
  name: string;
  atMs: number;
}

/** One fault kind of the file: its format (zod), and its conversion once the format has passed. */
export interface FaultKindFormat<S extends z.ZodType<{ kind: FaultKind }, unknown>> {
  format: S;
  /** The typed spec; its target checked against the scenario (findings go to `ctx`, at `targetPath`). */
  convert(
    fault: z.output<S>,
    start: FaultStart,
    targetPath: PathSegment[],
    ctx: FaultContext,
  ): Extract<FaultSpec, { kind: z.output<S>["kind"] }>;
}

export function faultKind<S extends z.ZodType<{ kind: FaultKind }, unknown>>(
  format: S,
  convert: FaultKindFormat<S>["convert"],
): FaultKindFormat<S> {
  return { format, convert };
}
