// Chaos Mesh pod-failure in a scenario file: the selected instances answer nothing for `duration`.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { toInstanceTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("pod-failure", { duration: lasting, target: instanceTarget }),
);

export const podFailure = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toInstanceTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
}));
