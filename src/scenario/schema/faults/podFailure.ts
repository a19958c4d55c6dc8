// Chaos Mesh pod-failure in a scenario file: the selected instances answer nothing for `duration`.
import { toInstanceTarget } from "../../resolve/faultTargets.ts";
import { faultKind, kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

const format = kindShape("pod-failure", { duration: lasting, target: instanceTarget });

export const podFailure = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toInstanceTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
}));
