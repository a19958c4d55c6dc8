// One proxy's host set (src/mesh/cluster.ts): Istio locality failover through Envoy's priority load
// (P0 = the proxy's zone, overprovisioning 1.4, per-level panic), and Envoy slow start for hosts that
// join the set or pass their health check again.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/kernel/random.ts";
import { createLeastRequest } from "../../src/mesh/balancers/leastRequest.ts";
import { createRandom } from "../../src/mesh/balancers/random.ts";
import { createRoundRobin } from "../../src/mesh/balancers/roundRobin.ts";
import { slowStartConfig } from "../../src/mesh/balancers/slowStart.ts";
import { Cluster, type ClusterLocality, type ClusterMember } from "../../src/mesh/cluster.ts";
import { ENVOY_LEAST_REQUEST, ENVOY_SLOW_START } from "../../src/scenario/defaults.ts";
import { localitySetting } from "../helpers/locality.ts";

const LEAST_REQUEST = { ...ENVOY_LEAST_REQUEST, slowStart: null };

/** Hosts svc-0.. with the given zones (index = position). */
function instances(zones: string[]): ClusterMember[] {
  return zones.map((zone, index) => ({
    id: `svc-${index}`,
    index,
    zone,
    version: { weight: 1, labels: {} },
  }));
}

const flags = (n: number, set: number[]) =>
  Uint8Array.from({ length: n }, (_, i) => (set.includes(i) ? 1 : 0));
const ZONES = ["a", "a", "a", "a", "b", "b", "b", "b"];
/** A proxy in flat zone a with outlier detection: Istio's default localityLbSetting. */
const IN_A: ClusterLocality = localitySetting("/a");

/** Member index -> zone, over picks whose priority bucket is hash % 100 + 1 for hash 0..99. */
function zonesOfBuckets(cluster: Cluster<ClusterMember>): string[] {
  const rng = new RandomStreams(1).get("test");
  return Array.from(
    { length: 100 },
    (_, hash) => cluster.members[cluster.pick(rng, { now: 0, hash, hashHigh: 0 })].zone,
  );
}

describe("locality failover: the proxy's zone is P0, the others P1 (Istio, Envoy priority load)", () => {
  const localCluster = (locality: ClusterLocality | null = IN_A) =>
    new Cluster(instances(ZONES), null, createRandom(), null, null, locality);

  it("sends everything to its own zone while that zone is healthy", () => {
    const cluster = localCluster();
    expect(new Set(zonesOfBuckets(cluster))).toEqual(new Set(["a"]));
    cluster.applyHostHealth(null, flags(8, [4, 5, 6, 7]), null, 50, 0); // the other zone's health does not matter
    expect(new Set(zonesOfBuckets(cluster))).toEqual(new Set(["a"]));
  });

  it("at 50% healthy in P0 sends 70% there and 30% to P1 (floor(1.4 × 50) = 70), only to healthy hosts", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1]), null, 50, 0);
    const zones = zonesOfBuckets(cluster);
    expect(zones.filter((z) => z === "a")).toHaveLength(70);
    expect(zones.slice(0, 70).every((z) => z === "a")).toBe(true); // buckets 1..70 are P0
    const rng = new RandomStreams(2).get("test");
    for (let i = 0; i < 2000; i++)
      expect([0, 1]).not.toContain(cluster.pick(rng, { now: 0, hash: -1, hashHigh: 0 }));
  });

  it("takes a hashed request's priority bucket from the whole 64-bit hash, mod 100 (Envoy's choosePriority)", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1]), null, 50, 0); // P0 takes buckets 1..70
    const rng = new RandomStreams(5).get("test");
    const zoneOf = (high: number, low: number) =>
      cluster.members[cluster.pick(rng, { now: 0, hash: low, hashHigh: high })].zone;
    // 2^32 mod 100 = 96: (1, 0) is bucket 97 (P1), (1, 4) is 2^32 + 4 ≡ 0, bucket 1 (P0).
    expect(zoneOf(1, 0)).toBe("b");
    expect(zoneOf(1, 4)).toBe("a");
    expect(zoneOf(0, 96)).toBe("b");
  });

  it("with random priority draws the shares follow the loads (70/30 within binomial noise)", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1]), null, 50, 0);
    const rng = new RandomStreams(3).get("test");
    const n = 20_000;
    let inA = 0;
    for (let i = 0; i < n; i++)
      if (cluster.members[cluster.pick(rng, { now: 0, hash: -1, hashHigh: 0 })].zone === "a") inA++;
    // sd = sqrt(0.7 × 0.3 / n) = 0.0032; 4 sd.
    expect(Math.abs(inA / n - 0.7)).toBeLessThan(0.013);
  });

  it("a P0 at 25% healthy takes floor(1.4 × 25) = 35%, and no panic while P0 + P1 reach 100% (Envoy)", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1, 2]), null, 50, 0);
    expect(zonesOfBuckets(cluster).filter((z) => z === "a")).toHaveLength(35);
    const rng = new RandomStreams(4).get("test");
    const picked = new Set<number>();
    for (let hash = 0; hash < 3500; hash++)
      if (hash % 100 < 35) picked.add(cluster.pick(rng, { now: 0, hash, hashHigh: 0 }));
    expect([...picked]).toEqual([3]);
  });

  it("when every level is below the panic threshold, loads follow host counts and each level uses all its hosts", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1, 2, 4, 5, 6]), null, 50, 0); // 35 + 35 = 70 < 100: total panic
    expect(zonesOfBuckets(cluster).filter((z) => z === "a")).toHaveLength(50);
    expect(cluster.available).toBe(8);
    const rng = new RandomStreams(4).get("test");
    const picked = new Set<number>();
    for (let hash = 0; hash < 5000; hash++)
      picked.add(cluster.pick(rng, { now: 0, hash, hashHigh: 0 }));
    expect([...picked].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("fails over wholly when P0 has no healthy host, or when the registry view has none of it", () => {
    const cluster = localCluster();
    cluster.applyHostHealth(null, flags(8, [0, 1, 2, 3]), null, 50, 0);
    expect(new Set(zonesOfBuckets(cluster))).toEqual(new Set(["b"]));
    cluster.applyHostHealth(flags(8, [4, 5, 6, 7]), null, null, 50, 0);
    expect(new Set(zonesOfBuckets(cluster))).toEqual(new Set(["b"]));
    expect(cluster.available).toBe(4);
  });

  it("without a zone (a load client) or with locality off, every host is one priority, with cluster-wide panic", () => {
    const cluster = localCluster(null);
    const zones = zonesOfBuckets(cluster);
    expect(zones.filter((z) => z === "a").length).toBeGreaterThan(20);
    expect(zones.filter((z) => z === "b").length).toBeGreaterThan(20);
    cluster.applyHostHealth(null, flags(8, [0, 1, 2, 3, 4]), null, 50, 0); // 3 of 8 healthy: panic, all 8 again
    expect(cluster.available).toBe(8);
  });

  it("balances within a level by that level's own balancer and counts", () => {
    const cluster = new Cluster(
      instances(ZONES),
      null,
      createLeastRequest(LEAST_REQUEST),
      null,
      null,
      IN_A,
    );
    const rng = new RandomStreams(5).get("test");
    // Requests that never settle: least-request must spread them evenly over zone a's four hosts.
    const counts = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const member = cluster.pick(rng, { now: i, hash: -1, hashHigh: 0 });
      cluster.started(member, i);
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 100)).toBeLessThanOrEqual(3);
  });
});

describe("slow start in the cluster (Envoy: the clock starts when a host joins, or passes its health check)", () => {
  const window = 10_000;
  const config = slowStartConfig(
    window,
    ENVOY_SLOW_START.aggression,
    ENVOY_SLOW_START.minWeightPercent,
  )!; // aggression 1.0, min 10%

  /** Picks at time `now`, returning how many went to each member. */
  function shares(cluster: Cluster<ClusterMember>, now: number, picks: number): number[] {
    const counts = new Array<number>(cluster.members.length).fill(0);
    const rng = new RandomStreams(9).get("test");
    for (let i = 0; i < picks; i++) counts[cluster.pick(rng, { now, hash: -1, hashHigh: 0 })]++;
    return counts;
  }

  function joinedAt1s(factory = createRoundRobin({ slowStart: config })): Cluster<ClusterMember> {
    const cluster = new Cluster(instances(["a", "a", "a", "a"]), null, factory, null, config);
    cluster.applyHostHealth(flags(4, [0, 1, 2]), null, null, 50, 0);
    cluster.applyHostHealth(flags(4, [0, 1, 2, 3]), null, null, 50, 1_000);
    return cluster;
  }

  it("hosts known from the start are warm: a plain rotation", () => {
    const cluster = new Cluster(
      instances(["a", "a", "a", "a"]),
      null,
      createRoundRobin({ slowStart: config }),
      null,
      config,
    );
    expect(shares(cluster, 5_000, 400)).toEqual([100, 100, 100, 100]);
  });

  it("a host that joins gets weight × age / window: half weight 5 s into a 10 s window", () => {
    const cluster = joinedAt1s();
    const counts = shares(cluster, 6_000, 700); // weights 1, 1, 1, 0.5: 200, 200, 200, 100
    expect(Math.abs(counts[3] - 100)).toBeLessThanOrEqual(2);
    counts.slice(0, 3).forEach((c) => {
      expect(Math.abs(c - 200)).toBeLessThanOrEqual(2);
    });
  });

  it("holds the new host at min_weight_percent early, and at full weight after the window", () => {
    const early = shares(joinedAt1s(), 1_500, 310); // factor max(0.05, 0.1) = 0.1: 100, 100, 100, 10
    expect(Math.abs(early[3] - 10)).toBeLessThanOrEqual(2);
    const cluster = joinedAt1s();
    shares(cluster, 6_000, 10); // queued at half weight once
    const late = shares(cluster, 11_000, 400);
    expect(Math.abs(late[3] - 100)).toBeLessThanOrEqual(2);
  });

  it("restarts the clock when a host passes its active health check again", () => {
    const cluster = new Cluster(
      instances(["a", "a", "a", "a"]),
      null,
      createRoundRobin({ slowStart: config }),
      null,
      config,
    );
    cluster.applyHostHealth(null, null, flags(4, [3]), 50, 20_000);
    expect(shares(cluster, 21_000, 300)[3]).toBe(0);
    cluster.applyHostHealth(null, null, flags(4, []), 50, 30_000);
    const counts = shares(cluster, 32_500, 650); // factor 0.25: 200, 200, 200, 50
    expect(Math.abs(counts[3] - 50)).toBeLessThanOrEqual(2);
  });

  it("least-request takes Envoy's EDF path while a host is in slow start, weight / (active + 1) × factor", () => {
    const cluster = joinedAt1s(createLeastRequest({ ...LEAST_REQUEST, slowStart: config }));
    const counts = shares(cluster, 6_000, 700); // nothing started, so active is 0: as round robin
    expect(Math.abs(counts[3] - 100)).toBeLessThanOrEqual(2);
  });

  it("changes nothing without a slow-start config: a joining host gets its full share at once", () => {
    const cluster = new Cluster(
      instances(["a", "a", "a", "a"]),
      null,
      createRoundRobin(),
      null,
      null,
    );
    cluster.applyHostHealth(flags(4, [0, 1, 2]), null, null, 50, 0);
    cluster.applyHostHealth(flags(4, [0, 1, 2, 3]), null, null, 50, 1_000);
    expect(shares(cluster, 1_500, 400)).toEqual([100, 100, 100, 100]);
  });
});

/** Each view's count of each of its hosts is that member's requests in flight. */
function expectCounts(cluster: Cluster<ClusterMember>, perMember: number[]): void {
  // The views are private: read them as the balancers do.
  for (const { view } of cluster["levels"])
    for (let v = 0; v < view.members.length; v++)
      expect(view.active[v]).toBe(perMember[view.members[v]]);
}

describe("active counts (a view of every member shares their counts; any other view copies them)", () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant("start" as const), member: fc.nat(7) }),
    fc.record({ kind: fc.constant("finish" as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant("eject" as const),
      hosts: fc.array(fc.nat(7), { maxLength: 4 }),
    }),
  );

  fcTest.prop([fc.boolean(), fc.array(step, { maxLength: 80 })])(
    "each view counts exactly its hosts' requests in flight, through starts, finishes and ejections",
    (withLocality, steps) => {
      const cluster = new Cluster(
        instances(ZONES),
        null,
        createLeastRequest(LEAST_REQUEST),
        null,
        null,
        withLocality ? IN_A : null,
      );
      const inFlight: number[] = [];
      const perMember = new Array<number>(ZONES.length).fill(0);
      let now = 0;
      for (const s of steps) {
        now++;
        if (s.kind === "start") {
          cluster.started(s.member, now);
          inFlight.push(s.member);
          perMember[s.member]++;
        } else if (s.kind === "finish") {
          if (inFlight.length === 0) continue;
          const [member] = inFlight.splice(s.pick % inFlight.length, 1);
          cluster.finished(member, 1, true, now);
          perMember[member]--;
        } else {
          cluster.applyHostHealth(null, flags(ZONES.length, s.hosts), null, 0, now);
        }
        expectCounts(cluster, perMember);
      }
      // Every host back: the one view (or each level's) counts what is still in flight.
      cluster.applyHostHealth(null, null, null, 0, now);
      expectCounts(cluster, perMember);
    },
  );
});
