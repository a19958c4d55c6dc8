// A registry outage in a scenario file: the scenario's service registry stops answering for
// `duration` (a scenario without a `registry:` section is told so by the loader).
import { kindShape, lasting } from "./format.ts";

export const registryOutage = kindShape("registry-outage", { duration: lasting });
