// A registry outage in a scenario file: the scenario's service registry stops answering for
// `duration` (a scenario without a `registry:` section is told so by the loader).
import { faultKind, kindShape, lasting } from "./format.ts";

const format = kindShape("registry-outage", { duration: lasting });

export const registryOutage = faultKind(format, (fault, start) => ({
  ...start,
  kind: fault.kind,
  durationMs: fault.duration ?? null,
}));
