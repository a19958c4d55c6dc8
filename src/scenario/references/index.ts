// Pass 2a of the loader: cross-references between sections, checked on the raw document so they
// are reported even when the schema (pass 1) failed; each section's checks skip what pass 1
// reports already (a malformed target, a service that is not a map). The fault timeline's, the
// alerts', security's and the changes' cross-references are their resolvers'.
import type { Finding } from "../path.ts";
import { checkCalls } from "./calls.ts";
import { checkLoads } from "./loads.ts";
import { checkMesh } from "./mesh.ts";
import { catalogOf, fieldOf, noProto } from "./raw.ts";
import { checkRegions } from "./regions.ts";
import { checkCompensations } from "./sagas.ts";

export function checkReferences(raw: unknown): Finding[] {
  const catalog = catalogOf(raw);
  return [
    ...noProto(fieldOf(raw, "services"), ["services"], "a service name"),
    ...noProto(fieldOf(raw, "thresholds"), ["thresholds"], "a threshold metric"),
    ...checkCalls(raw, catalog),
    ...checkMesh(raw, catalog),
    ...checkLoads(raw, catalog),
    ...checkRegions(raw),
    ...checkCompensations(raw, catalog),
  ];
}
