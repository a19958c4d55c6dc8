// One upstream's traffic policy as every caller's proxy applies it: mesh.services.<name> over
// mesh.defaults over the built-in default, field by field. Subsets and routes belong to one
// service, as an Istio DestinationRule's and VirtualService's do: a subset must select some
// version, and a route's destinations name subsets that exist and share out 100% of its traffic.
import { ISTIO_LOAD_BALANCER, ISTIO_LOCALITY } from "../defaults.ts";
import type { Finding } from "../path.ts";
import { list } from "../references/raw.ts";
import { toLoadBalancer } from "../schema/balancers/index.ts";
import { quote } from "../schema/leaves.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { LocalitySpec, RouteSpec, SubsetSpec, TrafficPolicy, VersionSpec } from "../types.ts";
import { type RawPolicy, resilienceFor } from "./resilience.ts";

export function trafficPolicyFor(
  file: ScenarioFile,
  service: string,
  versions: VersionSpec[],
  findings: Finding[],
): TrafficPolicy {
  const own = file.mesh.services[service];
  const raw = own?.loadBalancer ?? file.mesh.defaults.loadBalancer;
  const path = ["mesh", "services", service];
  const subsets = subsetsOf(own, service, versions, findings);
  return {
    loadBalancer: raw === undefined ? ISTIO_LOAD_BALANCER : toLoadBalancer(raw),
    subsets,
    routes: routesOf(own, service, subsets, findings),
    resilience: resilienceFor(own, file.mesh.defaults, path, findings),
    locality: localityOf(own?.localityLbSetting ?? file.mesh.defaults.localityLbSetting),
  };
}

function subsetsOf(
  own: RawPolicy | undefined,
  service: string,
  versions: VersionSpec[],
  findings: Finding[],
): SubsetSpec[] {
  const path = ["mesh", "services", service, "subsets"];
  return (own?.subsets ?? []).map((subset, i): SubsetSpec => {
    const selects = versions.some((v) =>
      Object.entries(subset.labels).every(([k, value]) => v.labels[k] === value),
    );
    if (!selects) {
      const message = `selects no instance of ${service}; its versions have labels ${versions.map((v) => JSON.stringify(v.labels)).join(", ")}`;
      findings.push({ path: [...path, i, "labels"], at: "value", message });
    }
    if ((own?.subsets ?? []).findIndex((other) => other.name === subset.name) !== i) {
      findings.push({
        path: [...path, i, "name"],
        at: "value",
        message: `subset ${quote(subset.name)} is defined twice`,
      });
    }
    return { name: subset.name, labels: subset.labels };
  });
}

function routesOf(
  own: RawPolicy | undefined,
  service: string,
  subsets: SubsetSpec[],
  findings: Finding[],
): RouteSpec[] {
  return (own?.routes ?? []).map((route, r): RouteSpec => {
    const routePath = ["mesh", "services", service, "routes", r, "route"];
    const destinations = route.route.map((d, i) => {
      if (d.subset !== undefined && !subsets.some((s) => s.name === d.subset)) {
        const known =
          subsets.length > 0
            ? `subsets are: ${list(subsets.map((s) => s.name))}`
            : `${service} has no subsets`;
        findings.push({
          path: [...routePath, i, "subset"],
          at: "value",
          message: `no subset ${quote(d.subset)}; ${known}`,
        });
      }
      return {
        subset: d.subset ?? null,
        weight: d.weight ?? (route.route.length === 1 ? 100 : -1),
      };
    });
    if (
      destinations.some((d) => d.weight < 0) ||
      destinations.reduce((sum, d) => sum + d.weight, 0) !== 100
    ) {
      const message =
        "the destinations' weights must add up to 100 (a single destination may leave its weight out)";
      findings.push({ path: routePath, at: "key", message });
    }
    return { match: route.match, destinations };
  });
}

/** Istio's mesh-wide default: locality failover on (it takes effect where outlier detection is set). */
function localityOf(raw: RawPolicy["localityLbSetting"]): LocalitySpec {
  return raw === undefined
    ? { ...ISTIO_LOCALITY }
    : {
        enabled: raw.enabled,
        overprovisioningFactor: raw.overprovisioningFactor,
        failover: raw.failover,
        failoverPriority: raw.failoverPriority,
        distribute: raw.distribute.map((rule) => ({
          from: rule.from,
          to: Object.entries(rule.to).map(([locality, weight]) => ({ locality, weight })),
        })),
      };
}
