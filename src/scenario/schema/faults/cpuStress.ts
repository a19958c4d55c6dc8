// Chaos Mesh's CPU stress in a scenario file: the selected instances' service times are multiplied
// by `factor` (> 1) for `duration`.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { z } from "zod";
import { toInstanceTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { expecting } from "../leaves.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("cpu-stress", {
    duration: lasting,
    factor: z
      .number({ error: expecting("a service-time multiplier greater than 1, e.g. 3") })
      .gt(1)
      .describe("Service times at the selected instances are multiplied by this."),
    target: instanceTarget,
  }),
);

export const cpuStress = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toInstanceTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
  factor: fault.factor,
}));
