// A network partition (Chaos Mesh; turmoil's partition/repair) in a scenario file: zones or a
// service's instances cut off from the rest, or two sides cut off from each other.
import { toPartitionTarget } from "../../resolve/faultTargets.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { partitionTarget } from "./targets.ts";

const format = kindShape("partition", { duration: lasting, target: partitionTarget });

export const partition = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toPartitionTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
}));
