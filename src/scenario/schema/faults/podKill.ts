// Chaos Mesh pod-kill in a scenario file: the selected instances die at `at`; `restartAfter` brings
// them back (absent: they stay down, unless their pod lifecycle restarts them).
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { toInstanceTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { duration } from "../leaves.ts";
import { faultKind, kindShape } from "./format.ts";
import { instanceTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("pod-kill", {
    restartAfter: duration("positive")
      .optional()
      .describe("The killed instances restart after this; absent: they stay down."),
    target: instanceTarget,
  }),
);

export const podKill = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toInstanceTarget(fault.target, targetPath, ctx),
  restartAfterMs: fault.restartAfter ?? null,
}));
