// Istio's fault-injection abort in a scenario file: a share of the calls to some instances, or of
// one edge's calls, gets an HTTP error status at once.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { toTrafficTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { integer } from "../leaves.ts";
import { faultKind, kindShape, lasting, percentage } from "./format.ts";
import { trafficTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("abort", {
    duration: lasting,
    httpStatus: integer(400, "an HTTP status from 400 to 599")
      .max(599)
      .describe("The status aborted calls get (Istio abort.httpStatus)."),
    percentage,
    target: trafficTarget,
  }),
);

export const abort = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toTrafficTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
  httpStatus: fault.httpStatus,
  percentage: fault.percentage,
}));
