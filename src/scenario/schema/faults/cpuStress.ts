// Chaos Mesh's CPU stress in a scenario file: the selected instances' service times are multiplied
// by `factor` (> 1) for `duration`.
import { z } from "zod";
import { expecting } from "../leaves.ts";
import { kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

export const cpuStress = kindShape("cpu-stress", {
  duration: lasting,
  factor: z
    .number({ error: expecting("a service-time multiplier greater than 1, e.g. 3") })
    .gt(1)
    .describe("Service times at the selected instances are multiplied by this."),
  target: instanceTarget,
});
