// The load section against the rest of the file: a load's zone has instances, its target is an
// operation that exists, and load names are unique (thresholds and alerts name loads).
import type { Finding } from "../path.ts";
import { quote } from "../schema/leaves.ts";
import { type Catalog, entriesOf, fieldOf, itemsOf, list, missingOperation } from "./raw.ts";

export function checkLoads(raw: unknown, catalog: Catalog): Finding[] {
  const findings: Finding[] = [];
  const zones = new Set<string>(["default"]);
  for (const [, spec] of entriesOf(fieldOf(raw, "services"))) {
    for (const zone of itemsOf(fieldOf(spec, "zones")))
      if (typeof zone === "string") zones.add(zone);
  }
  const loadNames = new Map<string, number>();
  itemsOf(fieldOf(raw, "load")).forEach((entry, index) => {
    const zone = fieldOf(entry, "zone");
    if (typeof zone === "string" && !zones.has(zone)) {
      const message = `no service has instances in zone \`${zone}\`; zones are: ${list(zones)}`;
      findings.push({ path: ["load", index, "zone"], at: "value", message });
    }
    const missing = missingOperation(fieldOf(entry, "target"), catalog);
    if (missing !== null)
      findings.push({ path: ["load", index, "target"], at: "value", message: missing });
    const name = fieldOf(entry, "name");
    if (typeof name !== "string") return;
    const first = loadNames.get(name);
    if (first === undefined) loadNames.set(name, index);
    else {
      const message = `load name ${quote(name)} is already used by load[${first}]`;
      findings.push({ path: ["load", index, "name"], at: "value", message });
    }
  });
  return findings;
}
