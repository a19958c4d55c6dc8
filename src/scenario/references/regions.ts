// Istio localities against the file's `regions`: a zone is in at most one region; once regions are
// declared every zone a service or load is placed in belongs to one; and a localityLbSetting's
// `failover` regions and `distribute` localities name declared regions (and zones of them), since
// a typo would silently never match and traffic would not fail over where the file says.
import type { Finding, PathSegment } from "../path.ts";
import { entriesOf, fieldOf, itemsOf, list } from "./raw.ts";

export function checkRegions(raw: unknown): Finding[] {
  const findings: Finding[] = [];
  const declared = entriesOf(fieldOf(raw, "regions"));
  const regionOf = new Map<string, string>();
  for (const [region, zones] of declared) {
    itemsOf(zones).forEach((zone, i) => {
      if (typeof zone !== "string") return;
      const other = regionOf.get(zone);
      if (other === undefined) regionOf.set(zone, region);
      else
        findings.push({
          path: ["regions", region, i],
          at: "value",
          message: `zone \`${zone}\` is already in region \`${other}\`; a zone is in one region`,
        });
    });
  }
  const regions = new Map(declared.map(([region, zones]) => [region, new Set(itemsOf(zones))]));
  if (declared.length > 0) findings.push(...checkPlacements(raw, regionOf, regions));
  const policies: [unknown, PathSegment[]][] = [
    [fieldOf(fieldOf(raw, "mesh"), "defaults"), ["mesh", "defaults"]],
    ...entriesOf(fieldOf(fieldOf(raw, "mesh"), "services")).map(
      ([name, policy]): [unknown, PathSegment[]] => [policy, ["mesh", "services", name]],
    ),
  ];
  for (const [policy, path] of policies) {
    const setting = fieldOf(policy, "localityLbSetting");
    const at = [...path, "localityLbSetting"];
    itemsOf(fieldOf(setting, "failover")).forEach((rule, i) => {
      for (const end of ["from", "to"]) {
        const region = fieldOf(rule, end);
        if (typeof region === "string" && !regions.has(region))
          findings.push(unknownRegion(region, [...at, "failover", i, end], "value", regions));
      }
    });
    itemsOf(fieldOf(setting, "distribute")).forEach((rule, i) => {
      const from = fieldOf(rule, "from");
      const where = [...at, "distribute", i];
      if (typeof from === "string") {
        const bad = badLocality(from, [...where, "from"], "value", regions);
        if (bad !== null) findings.push(bad);
      }
      for (const [to] of entriesOf(fieldOf(rule, "to"))) {
        const bad = badLocality(to, [...where, "to", to], "key", regions);
        if (bad !== null) findings.push(bad);
      }
    });
  }
  return findings;
}

/** Every zone a service or load is placed in is in a declared region. */
function checkPlacements(
  raw: unknown,
  regionOf: Map<string, string>,
  regions: Map<string, Set<unknown>>,
): Finding[] {
  const findings: Finding[] = [];
  const inNone = (zone: string, path: PathSegment[]) =>
    findings.push({
      path,
      at: "value",
      message: `zone \`${zone}\` is in no region; regions are: ${list(regions.keys())} (list it under one in \`regions\`)`,
    });
  for (const [service, spec] of entriesOf(fieldOf(raw, "services"))) {
    const zones = fieldOf(spec, "zones");
    // A service without zones is in zone `default`, which then needs a region too.
    if (zones === undefined && !regionOf.has("default")) inNone("default", ["services", service]);
    itemsOf(zones).forEach((zone, i) => {
      if (typeof zone === "string" && !regionOf.has(zone))
        inNone(zone, ["services", service, "zones", i]);
    });
  }
  itemsOf(fieldOf(raw, "load")).forEach((entry, i) => {
    const zone = fieldOf(entry, "zone");
    if (typeof zone === "string" && !regionOf.has(zone)) inNone(zone, ["load", i, "zone"]);
  });
  return findings;
}

/** An Istio locality rule whose region (or zone within it) is not declared; `*` matches anything. */
function badLocality(
  rule: string,
  path: PathSegment[],
  at: "key" | "value",
  regions: Map<string, Set<unknown>>,
): Finding | null {
  const [region, zone] = rule.split("/");
  if (region === "*") return null;
  const zones = regions.get(region);
  if (zones === undefined) return unknownRegion(region, path, at, regions);
  if (zone === undefined || zone === "*" || zones.has(zone)) return null;
  return {
    path,
    at,
    message: `region \`${region}\` has no zone \`${zone}\`; its zones are: ${list(zones as Set<string>)}`,
  };
}

function unknownRegion(
  region: string,
  path: PathSegment[],
  at: "key" | "value",
  regions: Map<string, Set<unknown>>,
): Finding {
  const known =
    regions.size > 0
      ? `regions are: ${list(regions.keys())}`
      : "no region is declared (add `regions: { <region>: [<zones>] }`)";
  return { path, at, message: `unknown region \`${region}\`; ${known}` };
}
