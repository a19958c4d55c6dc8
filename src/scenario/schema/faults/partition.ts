// A network partition (Chaos Mesh; turmoil's partition/repair) in a scenario file: zones or a
// service's instances cut off from the rest, or two sides cut off from each other.
import { kindShape, lasting } from "./format.ts";
import { partitionTarget } from "./targets.ts";

export const partition = kindShape("partition", { duration: lasting, target: partitionTarget });
