// Chaos Mesh pod-kill in a scenario file: the selected instances die at `at`; `restartAfter` brings
// them back (absent: they stay down, unless their pod lifecycle restarts them).
import { duration } from "../leaves.ts";
import { kindShape } from "./format.ts";
import { instanceTarget } from "./targets.ts";

export const podKill = kindShape("pod-kill", {
  restartAfter: duration("positive")
    .optional()
    .describe("The killed instances restart after this; absent: they stay down."),
  target: instanceTarget,
});
