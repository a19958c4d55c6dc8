// Istio's locality LB as one proxy's cluster runs it (src/mesh/cluster.ts with
// src/mesh/locality/localityGroups.ts): N Envoy priority levels from region/zone/subzone, `failover`
// and `failoverPriority`, spill-over by the overprovisioning factor 1.4, and `distribute`'s
// weighted localities. Worked examples from:
// - Istio's locality failover task (istio.io/latest/docs/tasks/traffic-management/locality-load-balancing/failover):
//   a proxy in region1/zone1 with failover region1 → region2 sees region1.zone1, region1.zone2,
//   region2.zone3 (the failover target), then region3.zone4 last.
// - Envoy's priority levels (envoyproxy.io, intro/arch_overview/upstream/load_balancing/priority):
//   a level at h% healthy takes min(100, 1.4 × h)% and the rest spills to the next; its tables'
//   rows P0 50% → 70/30, 25% → 35/65, and P0 20%, P1 20%, P2 100% → 28/28/44.
// - Istio's LocalityLoadBalancerSetting reference (distribute: `from` the proxy's locality, `to`
//   locality → weight summing to 100) and Envoy's locality weighted LB (a locality's weight times
//   min(1, 1.4 × healthy / total)).
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/kernel/random.ts";
import { createRandom } from "../../src/mesh/balancers/random.ts";
import { Cluster, type ClusterLocality, type ClusterMember } from "../../src/mesh/cluster.ts";
import type { Locality } from "../../src/model/endpoint.ts";
import { localitySetting } from "../helpers/locality.ts";

/** Hosts svc-0.. at `region/zone/subzone` places, with optional labels. */
function members(
  places: string[],
  labels: (i: number) => Record<string, string> = () => ({}),
): ClusterMember[] {
  return places.map((place, index) => {
    const [region, zone, subzone = ""] = place.split("/");
    return {
      id: `svc-${String(index).padStart(2, "0")}`,
      index,
      zone,
      locality: { region, zone, subzone },
      version: { weight: 1, labels: labels(index) },
    };
  });
}

const flags = (n: number, set: number[]) =>
  Uint8Array.from({ length: n }, (_, i) => (set.includes(i) ? 1 : 0));
const place = (l: Locality | undefined) => `${l!.region}/${l!.zone}`;

/** The place of the host picked for each priority bucket 1..100 (hash 0..99). */
function placesOfBuckets(cluster: Cluster<ClusterMember>): string[] {
  const rng = new RandomStreams(1).get("test");
  return Array.from({ length: 100 }, (_, hash) =>
    place(cluster.members[cluster.pick(rng, { now: 0, hash, hashHigh: 0 })].locality),
  );
}

/** The member indexes picked for buckets 1..100, each bucket 5 times (one stream for all picks). */
function idsOfBuckets(cluster: Cluster<ClusterMember>): Set<number> {
  const rng = new RandomStreams(1).get("test");
  const out = new Set<number>();
  for (let hash = 0; hash < 500; hash++)
    out.add(cluster.pick(rng, { now: 0, hash: hash % 100, hashHigh: 0 }));
  return out;
}

function counts(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

// Istio's failover task: two hosts in each of region1.zone1, region1.zone2, region2.zone3, region3.zone4.
const TASK = members([
  "region1/zone1",
  "region1/zone1",
  "region1/zone2",
  "region1/zone2",
  "region2/zone3",
  "region2/zone3",
  "region3/zone4",
  "region3/zone4",
]);
const FAILOVER = [{ from: "region1", to: "region2" }];

describe("priority levels region → zone → subzone, with failover to the named region", () => {
  const cluster = (over: Partial<ClusterLocality> = {}) =>
    new Cluster(TASK, null, createRandom(), null, null, localitySetting("region1/zone1", over));

  it("sends everything to the proxy's own zone while it is healthy", () => {
    expect(counts(placesOfBuckets(cluster({ failover: FAILOVER })))).toEqual({
      "region1/zone1": 100,
    });
  });

  it("fails over zone1 → zone2 → region2 (the failover target) → region3, as the task's table orders them", () => {
    const c = cluster({ failover: FAILOVER });
    c.applyHostHealth(null, flags(8, [0, 1]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "region1/zone2": 100 });
    c.applyHostHealth(null, flags(8, [0, 1, 2, 3]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "region2/zone3": 100 });
    c.applyHostHealth(null, flags(8, [0, 1, 2, 3, 4, 5]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "region3/zone4": 100 });
  });

  it("without a failover rule puts both other regions in one level, sharing the load", () => {
    const c = cluster();
    c.applyHostHealth(null, flags(8, [0, 1, 2, 3]), null, 0, 0);
    const rng = new RandomStreams(3).get("test");
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++)
      seen.add(place(c.members[c.pick(rng, { now: 0, hash: -1, hashHigh: 0 })].locality));
    expect(seen).toEqual(new Set(["region2/zone3", "region3/zone4"]));
  });

  it("ranks the proxy's subzone above the rest of its zone (LbPriority 0 before 1)", () => {
    const hosts = members(["r/z/s1", "r/z/s2", "r/z2/s1"]);
    const c = new Cluster(hosts, null, createRandom(), null, null, localitySetting("r/z/s1"));
    const pickIds = () => idsOfBuckets(c);
    expect(pickIds()).toEqual(new Set([0]));
    c.applyHostHealth(null, flags(3, [0]), null, 0, 0);
    expect(pickIds()).toEqual(new Set([1])); // same zone, other subzone before the other zone
  });
});

describe("spill-over by Envoy's overprovisioning factor 1.4", () => {
  /** Levels of `sizes[p]` hosts, one zone each in region r, the proxy in zone z0. */
  function levels(sizes: number[]): Cluster<ClusterMember> {
    const places = sizes.flatMap((n, p) =>
      Array.from({ length: n }, () => (p === 0 ? "r/z0" : p === 1 ? "r/z1" : `other${p}/z${p}`)),
    );
    return new Cluster(members(places), null, createRandom(), null, null, localitySetting("r/z0"));
  }

  it("P0 at 50% healthy takes 70% and P1 30% (Envoy's table: 1.4 × 50)", () => {
    const c = levels([10, 10]);
    c.applyHostHealth(null, flags(20, [0, 1, 2, 3, 4]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "r/z0": 70, "r/z1": 30 });
  });

  it("P0 at 25% healthy takes 35% and P1 65%", () => {
    const c = levels([4, 4]);
    c.applyHostHealth(null, flags(8, [0, 1, 2]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "r/z0": 35, "r/z1": 65 });
  });

  it("P0 at 80% healthy keeps everything (min(100, 1.4 × 80) = 100)", () => {
    const c = levels([5, 5]);
    c.applyHostHealth(null, flags(10, [0]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "r/z0": 100 });
  });

  it("three levels at 20%, 20% and 100% healthy take 28%, 28% and 44%", () => {
    const c = levels([5, 5, 5]);
    c.applyHostHealth(null, flags(15, [0, 1, 2, 3, 5, 6, 7, 8]), null, 0, 0);
    expect(counts(placesOfBuckets(c))).toEqual({ "r/z0": 28, "r/z1": 28, "other2/z2": 44 });
  });
});

describe("failoverPriority: labels order the priority levels", () => {
  // Two networks across two regions; the proxy is on network n1 in region a.
  const hosts = members(["a/z1", "a/z1", "b/z2", "b/z2"], (i) => ({
    network: i === 0 || i === 2 ? "n1" : "n2",
  }));

  it("puts the hosts whose label matches the proxy's first, whatever their region", () => {
    const c = new Cluster(
      hosts,
      null,
      createRandom(),
      null,
      null,
      localitySetting("a/z1", { labels: { network: "n1" }, failoverPriority: ["network"] }),
    );
    expect(idsOfBuckets(c)).toEqual(new Set([0, 2])); // svc-00 (a, n1) and svc-02 (b, n1): one level
  });

  it("with failover too, orders by label first, then by locality within it (p × 5 + LbPriority)", () => {
    const c = new Cluster(
      hosts,
      null,
      createRandom(),
      null,
      null,
      localitySetting("a/z1", {
        labels: { network: "n1" },
        failoverPriority: ["network"],
        failover: [{ from: "a", to: "b" }],
      }),
    );
    const pickIds = () => idsOfBuckets(c);
    expect(pickIds()).toEqual(new Set([0]));
    c.applyHostHealth(null, flags(4, [0]), null, 0, 0);
    expect(pickIds()).toEqual(new Set([2])); // same network in region b before the other network at home
  });
});

describe("distribute: weighted localities", () => {
  // 4 hosts in us-east (two zones), 4 in eu-west; from us-east: 80% us-east, 20% eu-west.
  const hosts = members([
    "us-east/e1",
    "us-east/e1",
    "us-east/e2",
    "us-east/e2",
    "eu-west/w1",
    "eu-west/w1",
    "eu-west/w1",
    "eu-west/w1",
  ]);
  const distribute = [
    {
      from: "us-east/*",
      to: [
        { locality: "us-east/*", weight: 80 },
        { locality: "eu-west/*", weight: 20 },
      ],
    },
  ];
  const N = 20_000;

  function shareOfUsEast(c: Cluster<ClusterMember>, seed: number): number {
    const rng = new RandomStreams(seed).get("t");
    let us = 0;
    for (let i = 0; i < N; i++)
      if (c.members[c.pick(rng, { now: 0, hash: -1, hashHigh: 0 })].locality!.region === "us-east")
        us++;
    return us / N;
  }

  it("sends each locality its weight's share, without outlier detection too", () => {
    // Binomial: p = 0.8, N = 20000, sd = sqrt(0.8 × 0.2 / 20000) = 0.00283; 4 sd = 0.0113.
    const c = new Cluster(
      hosts,
      null,
      createRandom(),
      null,
      null,
      localitySetting("us-east/e1", { distribute, priorities: false }),
    );
    expect(Math.abs(shareOfUsEast(c, 11) - 0.8)).toBeLessThan(0.0113);
  });

  it("scales a locality's weight by min(1, 1.4 × healthy / total) as its hosts fail", () => {
    // us-east/* splits its 80 over e1 and e2 (40 each, by their endpoint counts). With e1 at 1
    // of 2 healthy: e1 = 40 × 0.7 = 28, e2 40, eu-west 20: us-east's share = 68 / 88 = 0.7727;
    // sd = sqrt(0.7727 × 0.2273 / 20000) = 0.00296; 4 sd = 0.0119.
    const c = new Cluster(
      hosts,
      null,
      createRandom(),
      null,
      null,
      localitySetting("us-east/e1", { distribute, priorities: false }),
    );
    c.applyHostHealth(null, flags(8, [0]), null, 0, 0);
    expect(Math.abs(shareOfUsEast(c, 12) - 68 / 88)).toBeLessThan(0.0119);
  });

  it("starves a locality no `to` entry names (weight 0)", () => {
    const only = [{ from: "*", to: [{ locality: "eu-west", weight: 100 }] }];
    const c = new Cluster(
      hosts,
      null,
      createRandom(),
      null,
      null,
      localitySetting("us-east/e1", { distribute: only, priorities: false }),
    );
    expect(shareOfUsEast(c, 13)).toBe(0);
  });
});
