// How one proxy's cluster splits its members into groups, as istiod programs Envoy: with
// `distribute`, one group per locality with its load_balancing_weight (Envoy's locality-weighted
// LB in the one priority); otherwise one group per Envoy priority level from region/zone/subzone,
// `failover` and `failoverPriority` (istioLocality.ts has the rules). Pure: no simulation state.
// Left out: a proxy with no locality (a client outside every zone) gets no groups (one level), as
// Istio applies locality LB only to proxies with a locality.
import type { Locality } from "../../model/endpoint.ts";
import {
  type DistributeRule,
  distributeWeights,
  type FailoverRule,
  failoverPriorities,
} from "./istioLocality.ts";

/** The proxy's side of Istio locality LB: where it runs and what the DestinationRule says. */
export interface ClusterLocality {
  /** The proxy's region/zone/subzone ("" where not given). */
  readonly proxy: Locality;
  /** The proxy's pod labels (failoverPriority compares them); {} for a load client. */
  readonly labels: Readonly<Record<string, string>>;
  /** Envoy overprovisioning_factor in percent (140). The panic threshold comes with each update. */
  readonly overprovisioningPercent: number;
  /** Whether priorities apply (Istio: only with outlier detection); `distribute` applies regardless. */
  readonly priorities: boolean;
  readonly failover: readonly FailoverRule[];
  readonly failoverPriority: readonly string[];
  readonly distribute: readonly DistributeRule[];
}

/** What a group is made of: a member's locality and labels. */
export interface GroupMember {
  readonly zone: string;
  readonly locality?: Locality;
  readonly version: { readonly labels: Readonly<Record<string, string>> };
}

export interface LocalityGroups {
  /** "priority": groups are Envoy priority levels P0..; "weighted": localities picked by weight. */
  readonly mode: "priority" | "weighted";
  /** Group of each member. */
  readonly groupOf: number[];
  readonly count: number;
  /** "weighted": each group's load_balancing_weight (0: no traffic). */
  readonly weights: number[];
}

/** A member's locality: its own, or its zone in the one unnamed region. */
export function localityOf(member: GroupMember): Locality {
  return member.locality ?? { region: "", zone: member.zone, subzone: "" };
}

/**
 * The groups of `members` for a proxy at `setting.proxy`, or null when locality LB does not apply
 * (no priorities and no `distribute` rule from the proxy's locality): one plain level then.
 */
export function localityGroups(
  members: readonly GroupMember[],
  setting: ClusterLocality,
): LocalityGroups | null {
  const localities = members.map(localityOf);
  if (setting.distribute.length > 0) return weightedGroups(localities, setting);
  if (!setting.priorities) return null;
  const groupOf = failoverPriorities(
    setting.proxy,
    setting.labels,
    members.map((m, i) => ({ locality: localities[i], labels: m.version.labels })),
    setting,
  );
  const count = groupOf.reduce((max, p) => Math.max(max, p + 1), 1);
  return { mode: "priority", groupOf, count, weights: [] };
}

/** One group per distinct locality (first-seen order), weighted by Istio's applyLocalityWeights. */
function weightedGroups(
  localities: readonly Locality[],
  setting: ClusterLocality,
): LocalityGroups | null {
  const keys: string[] = [];
  const groupOf = localities.map((l) => {
    const key = `${l.region}/${l.zone}/${l.subzone}`;
    let g = keys.indexOf(key);
    if (g < 0) g = keys.push(key) - 1;
    return g;
  });
  // EDS gives each locality the sum of its endpoints' weights: 1 each in Istio.
  const groups = keys.map((_, g) => ({
    locality: localities[groupOf.indexOf(g)],
    weight: groupOf.filter((x) => x === g).length,
  }));
  const weights = distributeWeights(setting.proxy, groups, setting.distribute);
  if (weights === null) return null;
  return { mode: "weighted", groupOf, count: keys.length, weights };
}
