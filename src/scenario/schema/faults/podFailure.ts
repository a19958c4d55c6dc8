// Chaos Mesh pod-failure in a scenario file: the selected instances answer nothing for `duration`.
import { kindShape, lasting } from "./format.ts";
import { instanceTarget } from "./targets.ts";

export const podFailure = kindShape("pod-failure", { duration: lasting, target: instanceTarget });
