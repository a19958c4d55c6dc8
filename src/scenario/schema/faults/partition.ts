// A network partition (Chaos Mesh; turmoil's partition/repair) in a scenario file: zones or a
// service's instances cut off from the rest, or two sides cut off from each other.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { toPartitionTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { partitionTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("partition", { duration: lasting, target: partitionTarget }),
);

export const partition = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toPartitionTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
}));
