// A registry outage in a scenario file: the scenario's service registry stops answering for
// `duration` (a scenario without a `registry:` section is told so by the loader).
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.

import { deferred } from "../deferred.ts";
import { faultKind, kindShape, lasting } from "./format.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() => kindShape("registry-outage", { duration: lasting }));

export const registryOutage = faultKind(format, (fault, start) => ({
  ...start,
  kind: fault.kind,
  durationMs: fault.duration ?? null,
}));
