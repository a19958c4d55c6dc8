// The mesh section against the rest of the file: traffic policies are for services that exist,
// a hashing policy's hashKey is a key some load carries, routes match attributes (and values)
// some load sets (a typo would never match), and subsets and routes belong to one service.
import type { Finding, PathSegment } from "../path.ts";
import { quote } from "../schema/leaves.ts";
import { type Catalog, entriesOf, fieldOf, itemsOf, list, noProto } from "./raw.ts";

export function checkMesh(raw: unknown, catalog: Catalog): Finding[] {
  const mesh = fieldOf(raw, "mesh");
  const policies = entriesOf(fieldOf(mesh, "services"));
  const findings = noProto(fieldOf(mesh, "services"), ["mesh", "services"], "a service name");
  for (const [service] of policies) {
    if (catalog.size > 0 && !catalog.has(service)) {
      const message = `there is no service \`${service}\` to apply a traffic policy to; services are: ${list(catalog.keys())}`;
      findings.push({ path: ["mesh", "services", service], at: "key", message });
    }
  }
  const keyNames = new Set<string>();
  for (const entry of itemsOf(fieldOf(raw, "load"))) {
    const keyName = fieldOf(fieldOf(entry, "keys"), "name");
    if (typeof keyName === "string") keyNames.add(keyName);
  }
  findings.push(...checkHashKey(fieldOf(mesh, "defaults"), ["mesh", "defaults"], keyNames));
  for (const [service, policy] of policies)
    findings.push(...checkHashKey(policy, ["mesh", "services", service], keyNames));
  findings.push(...checkRouteMatches(raw, policies));
  for (const key of ["subsets", "routes"]) {
    if (fieldOf(fieldOf(mesh, "defaults"), key) !== undefined) {
      findings.push({
        path: ["mesh", "defaults", key],
        at: "key",
        message: `${key} belong to one service: put them under mesh.services.<name>`,
      });
    }
  }
  return findings;
}

function checkHashKey(policy: unknown, path: PathSegment[], keyNames: Set<string>): Finding[] {
  const hashKey = fieldOf(fieldOf(policy, "loadBalancer"), "hashKey");
  if (typeof hashKey !== "string" || keyNames.has(hashKey)) return [];
  const known =
    keyNames.size > 0
      ? `loads carry: ${list(keyNames)}`
      : "no load has keys (add keys: { name, count } to a load)";
  return [
    {
      path: [...path, "loadBalancer", "hashKey"],
      at: "value",
      message: `no load carries a key named \`${hashKey}\`; ${known}`,
    },
  ];
}

/** Routes may only match attributes (and values) that some load sets: a typo would never match. */
function checkRouteMatches(raw: unknown, policies: [string, unknown][]): Finding[] {
  const findings: Finding[] = [];
  const attributes = new Map<string, Set<string>>();
  for (const entry of itemsOf(fieldOf(raw, "load"))) {
    for (const [attribute, values] of entriesOf(fieldOf(entry, "attributes"))) {
      const known = attributes.get(attribute) ?? new Set<string>();
      for (const [value] of entriesOf(values)) known.add(value);
      attributes.set(attribute, known);
    }
  }
  for (const [service, policy] of policies) {
    itemsOf(fieldOf(policy, "routes")).forEach((route, r) => {
      itemsOf(fieldOf(route, "match")).forEach((match, m) => {
        for (const [attribute, value] of entriesOf(match)) {
          const path = ["mesh", "services", service, "routes", r, "match", m, attribute];
          const values = attributes.get(attribute);
          if (values === undefined) {
            const known =
              attributes.size > 0
                ? `loads set: ${list(attributes.keys())}`
                : "no load sets attributes";
            findings.push({
              path,
              at: "key",
              message: `no load sets attribute \`${attribute}\`, so this never matches; ${known}`,
            });
          } else if (typeof value === "string" && !values.has(value)) {
            findings.push({
              path,
              at: "value",
              message: `no load gives ${attribute} the value ${quote(value)}; values are: ${list(values)}`,
            });
          }
        }
      });
    });
  }
  return findings;
}
