// Istio's locality load balancing (src/mesh/locality/istioLocality.ts), with worked examples from
// Istio's code (pilot/pkg/networking/core/loadbalancer/loadbalancer.go: applyLocalityFailover,
// applyFailoverPriorities, applyLocalityWeights; util.LbPriority, util.LocalityMatch) and from its
// docs (the "Locality failover" task: a client in region1/zone1 and helloworld in region1/zone1,
// region1/zone2, region2/zone3, region3/zone4; the DestinationRule reference's distribute and
// failoverPriority examples).
import { describe, expect, it } from "vitest";
import {
  distributeWeights,
  type FailoverEndpoint,
  failoverPriorities,
  lbPriority,
  localityMatches,
  parseLocality,
} from "../../../src/mesh/locality/istioLocality.ts";

const at = (locality: string, labels: Record<string, string> = {}): FailoverEndpoint => ({
  locality: parseLocality(locality),
  labels,
});
const NONE = { failover: [], failoverPriority: [] };

describe("Istio's locality priorities (LbPriority)", () => {
  it("is 0 for the same subzone, 1 the same zone, 2 the same region, 3 elsewhere", () => {
    const proxy = parseLocality("us-east/a/rack1");
    expect(
      ["us-east/a/rack1", "us-east/a/rack2", "us-east/b/rack1", "eu-west/a/rack1"].map((l) =>
        lbPriority(proxy, parseLocality(l)),
      ),
    ).toEqual([0, 1, 2, 3]);
  });

  it("keeps flat zones as today: own zone P0, every other zone P1 (all in the empty region)", () => {
    // Flat zones are zones of one empty region (LbPriority 2 between them, renumbered 1).
    const flat = (zone: string) => ({ region: "", zone, subzone: "" });
    const endpoints = ["a", "b", "c"].map((z) => ({ locality: flat(z), labels: {} }));
    expect(failoverPriorities(flat("b"), {}, endpoints, NONE)).toEqual([1, 0, 1]);
  });
});

describe("failover (region to region)", () => {
  const client = parseLocality("region1/zone1");
  const helloworld = ["region1/zone1", "region1/zone2", "region2/zone3", "region3/zone4"].map((l) =>
    at(l),
  );

  it("without rules: own zone, the region's other zone, then both other regions together", () => {
    expect(failoverPriorities(client, {}, helloworld, NONE)).toEqual([0, 1, 2, 2]);
  });

  it("with failover region1 → region3 (Istio's failover task): zone1, zone2, region3, then region2", () => {
    const setting = { failover: [{ from: "region1", to: "region3" }], failoverPriority: [] };
    expect(failoverPriorities(client, {}, helloworld, setting)).toEqual([0, 1, 3, 2]);
  });

  it("applies only the first rule from the proxy's region, and none from other regions", () => {
    const setting = {
      failover: [
        { from: "region2", to: "region1" },
        { from: "region1", to: "region2" },
        { from: "region1", to: "region3" },
      ],
      failoverPriority: [],
    };
    expect(failoverPriorities(client, {}, helloworld, setting)).toEqual([0, 1, 2, 3]);
  });
});

describe("failoverPriority (ordered labels)", () => {
  const LABELS = [
    "topology.istio.io/network",
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
  ];
  const labels = (network: string, region: string, zone: string) => ({
    [LABELS[0]]: network,
    [LABELS[1]]: region,
    [LABELS[2]]: zone,
  });
  const proxyLabels = labels("n1", "r1", "z1");
  const endpoints = [
    at("r1/z1", labels("n1", "r1", "z1")), // all three match: 0
    at("r1/z2", labels("n1", "r1", "z2")), // two leading: 1
    at("r2/z3", labels("n1", "r2", "z3")), // one: 2
    at("r2/z3", labels("n2", "r2", "z3")), // none: 3
    at("r1/z1", labels("n2", "r1", "z1")), // the first differs: none counts (3)
  ];

  it("ranks by how many leading labels match the proxy's, ignoring locality", () => {
    const setting = { failover: [], failoverPriority: LABELS };
    expect(failoverPriorities(parseLocality("r1/z1"), proxyLabels, endpoints, setting)).toEqual([
      0, 1, 2, 3, 3,
    ]);
  });

  it("compares a label=value entry with that value instead of the proxy's", () => {
    const setting = { failover: [], failoverPriority: [`${LABELS[0]}=n2`] };
    expect(failoverPriorities(parseLocality("r1/z1"), proxyLabels, endpoints, setting)).toEqual([
      1, 1, 1, 0, 0,
    ]);
  });

  it("adds the locality's priority (p × 5 + LbPriority) only when failover is given too", () => {
    const setting = {
      failover: [{ from: "r1", to: "r2" }],
      failoverPriority: [LABELS[0]],
    };
    // Labels: n1 → 0, n2 → 1. Locality from r1/z1: r1/z1 0, r1/z2 2, r2/z3 3 (r2 is the `to`).
    // Raw: 0, 2, 3, 8, 5 → renumbered 0, 1, 2, 4, 3.
    expect(failoverPriorities(parseLocality("r1/z1"), proxyLabels, endpoints, setting)).toEqual([
      0, 1, 2, 4, 3,
    ]);
  });

  it("leaves every endpoint at P0 when the proxy has no labels (and no failover is given)", () => {
    const setting = { failover: [], failoverPriority: LABELS };
    expect(failoverPriorities(parseLocality("r1/z1"), {}, endpoints, setting)).toEqual([
      0, 0, 0, 0, 0,
    ]);
  });
});

describe("distribute (weighted localities)", () => {
  const localities = [
    "us-west/zone1/a",
    "us-west/zone1/b",
    "us-west/zone2/x",
    "us-east/zone3/y",
  ].map((l) => ({ locality: parseLocality(l), weight: 1 }));
  const rules = [
    {
      from: "us-west/zone1/*",
      to: [
        { locality: "us-west/zone1/*", weight: 80 },
        { locality: "us-west/zone2/*", weight: 20 },
      ],
    },
  ];

  it("splits each entry's weight over the localities it matches, rounding up, and starves the rest", () => {
    expect(distributeWeights(parseLocality("us-west/zone1/a"), localities, rules)).toEqual([
      40, 40, 20, 0,
    ]);
  });

  it("splits in proportion to the localities' own weights (ceil(weight × w / total))", () => {
    const weighted = localities.map((l, i) => ({ ...l, weight: i === 0 ? 2 : 1 }));
    expect(distributeWeights(parseLocality("us-west/zone1/b"), weighted, rules)).toEqual([
      54, 27, 20, 0,
    ]);
  });

  it("leaves the weights alone when no rule's from matches the proxy", () => {
    expect(distributeWeights(parseLocality("us-east/zone3/y"), localities, rules)).toBeNull();
  });

  it("matches rules with * and missing parts as wildcards (LocalityMatch)", () => {
    const l = parseLocality("us-west/zone1/a");
    expect(
      ["us-west", "us-west/*", "*/zone1", "us-west/zone1/a", "*"].map((r) => localityMatches(l, r)),
    ).toEqual([true, true, true, true, true]);
    expect(
      ["us-east", "us-west/zone2", "us-west/zone1/b"].map((r) => localityMatches(l, r)),
    ).toEqual([false, false, false]);
  });
});
