// Chaos Mesh's CPU stress in a scenario file: the selected instances' service times are multiplied
// by `factor` (> 1) for `duration`.
import { z } from "zod";
import { toInstanceTarget } from "../../resolve/faultTargets.ts";
import { expecting } from "../leaves.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

const format = kindShape("cpu-stress", {
  duration: lasting,
  factor: z
    .number({ error: expecting("a service-time multiplier greater than 1, e.g. 3") })
    .gt(1)
    .describe("Service times at the selected instances are multiplied by this."),
  target: instanceTarget,
});

export const cpuStress = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toInstanceTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
  factor: fault.factor,
}));
