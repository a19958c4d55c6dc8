// Istio's locality load balancing as pure functions: how istiod turns a proxy's locality
// (region/zone/subzone) and a DestinationRule's `localityLbSetting` into Envoy priorities and
// locality weights for the endpoints of one cluster. Follows pilot/pkg/networking/core/
// loadbalancer/loadbalancer.go (ApplyLocalityLoadBalancer, applyLocalityFailover,
// applyFailoverPriorities, applyLocalityWeights) and util.LbPriority / util.LocalityMatch.
// Left out: the network label's own meaning (it is one more label here), TrafficDistribution.
//
// Rules kept from Istio's code:
// - `distribute` and failover exclude each other: with `distribute` there are no priorities.
// - LbPriority: region, zone and subzone all equal 0; region and zone 1; region 2; else 3. Flat
//   zones (no region) are all in the one empty region: own zone 0, other zones 2.
// - `failover` (from region → to region): the first rule whose `from` is the proxy's region moves
//   every other-region endpoint not in `to` below the `to` region (priority 4).
// - `failoverPriority` (ordered labels, `label=value` to fix the value instead of the proxy's):
//   priority = n − (how many leading labels match); then, only if `failover` is given too, the
//   locality priority is added as p × 5 + LbPriority. Without failoverPriority, LbPriority alone.
// - Priorities are then renumbered 0..N in order, skipping none.
// - `distribute`: the first rule whose `from` matches the proxy; each `to` entry (in order; Istio
//   walks a Go map) takes the endpoints' localities it matches that no earlier entry took, and
//   splits its weight over them in proportion to their own weights, rounded up; localities no
//   entry takes get no traffic.

import type { Locality } from "../../model/endpoint.ts";

export type { Locality };

/** Istio's `region/zone/subzone` (zone and subzone optional). */
export function parseLocality(text: string): Locality {
  const [region = "", zone = "", subzone = ""] = text.split("/");
  return { region, zone, subzone };
}

/** util.LbPriority: 0 same subzone, 1 same zone, 2 same region, 3 elsewhere. */
export function lbPriority(proxy: Locality, endpoint: Locality): number {
  if (proxy.region !== endpoint.region) return 3;
  if (proxy.zone !== endpoint.zone) return 2;
  return proxy.subzone === endpoint.subzone ? 0 : 1;
}

/** util.LocalityMatch: a rule `region/zone/subzone` where `*` (or a missing zone/subzone) matches anything. */
export function localityMatches(locality: Locality, rule: string): boolean {
  const r = parseLocality(rule);
  return (
    (r.region === "*" || r.region === locality.region) &&
    (r.zone === "*" || r.zone === "" || r.zone === locality.zone) &&
    (r.subzone === "*" || r.subzone === "" || r.subzone === locality.subzone)
  );
}

export interface FailoverRule {
  readonly from: string;
  readonly to: string;
}

export interface FailoverSetting {
  /** `failover`: region → region. */
  readonly failover: readonly FailoverRule[];
  /** `failoverPriority`: label names, or `name=value` to compare against that value. */
  readonly failoverPriority: readonly string[];
}

export interface FailoverEndpoint {
  readonly locality: Locality;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Envoy priority of each endpoint (0..N, none skipped) for a proxy at `proxy` with `proxyLabels`
 * (ApplyLocalityLoadBalancer without `distribute`).
 */
export function failoverPriorities(
  proxy: Locality,
  proxyLabels: Readonly<Record<string, string>>,
  endpoints: readonly FailoverEndpoint[],
  setting: FailoverSetting,
): number[] {
  let base: number[] | null = null;
  if (setting.failoverPriority.length > 0) {
    // Istio leaves the priorities at 0 when the proxy has no labels, and adds the locality's only
    // when `failover` is given too.
    base =
      Object.keys(proxyLabels).length > 0
        ? renumber(
            endpoints.map((e) => labelPriority(proxyLabels, e.labels, setting.failoverPriority)),
          )
        : endpoints.map(() => 0);
    if (setting.failover.length === 0) return base;
  }
  const raw = endpoints.map((e, i) => {
    let p = lbPriority(proxy, e.locality);
    if (p === 3) {
      const rule = setting.failover.find((f) => f.from === proxy.region);
      if (rule !== undefined && e.locality.region !== rule.to) p = 4;
    }
    return (base === null ? 0 : base[i] * 5) + p;
  });
  return renumber(raw);
}

/** applyFailoverPriorityPerLocality: n − the number of leading labels that match. */
function labelPriority(
  proxyLabels: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
  failoverPriority: readonly string[],
): number {
  for (let j = 0; j < failoverPriority.length; j++) {
    const [name, fixed] = failoverPriority[j].split("=");
    const wanted = fixed ?? proxyLabels[name];
    if (wanted !== labels[name]) return failoverPriority.length - j;
  }
  return 0;
}

/** Priorities renumbered 0..N in increasing order, none skipped. */
function renumber(priorities: readonly number[]): number[] {
  const distinct = [...new Set(priorities)].sort((a, b) => a - b);
  return priorities.map((p) => distinct.indexOf(p));
}

export interface DistributeRule {
  readonly from: string;
  /** Locality rule → weight, in file order. */
  readonly to: readonly { readonly locality: string; readonly weight: number }[];
}

/**
 * applyLocalityWeights: each locality's load_balancing_weight (0: no traffic), given each one's own
 * weight (1 where EDS sets none); null when no rule's `from` matches the proxy (weights unchanged).
 */
export function distributeWeights(
  proxy: Locality,
  localities: readonly { readonly locality: Locality; readonly weight: number }[],
  rules: readonly DistributeRule[],
): number[] | null {
  const rule = rules.find((r) => localityMatches(proxy, r.from));
  if (rule === undefined) return null;
  const out = localities.map(() => 0);
  const taken = localities.map(() => false);
  for (const entry of rule.to) {
    const mine = localities.flatMap((l, i) =>
      !taken[i] && localityMatches(l.locality, entry.locality) ? [i] : [],
    );
    const total = mine.reduce((sum, i) => sum + localities[i].weight, 0);
    for (const i of mine) {
      taken[i] = true;
      const share = (localities[i].weight * entry.weight) / total;
      // Istio sets the weight only when it is above 0; otherwise the locality keeps its own.
      out[i] = share > 0 ? Math.ceil(share) : localities[i].weight;
    }
  }
  return out;
}
