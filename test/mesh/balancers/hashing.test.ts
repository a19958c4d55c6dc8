import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/kernel/random.ts";
import type { BalancerFactory, ClusterHosts } from "../../../src/mesh/balancers/balancer.ts";
import { createMaglev } from "../../../src/mesh/balancers/maglev.ts";
import { createRingHash } from "../../../src/mesh/balancers/ringHash.ts";
import { clusterSlots, hostSlots } from "../../../src/mesh/hashing/boundedLoad.ts";
import { buildMaglev, maglevLookup } from "../../../src/mesh/hashing/maglev.ts";
import { buildRing, type Ring, ringLookup } from "../../../src/mesh/hashing/ring.ts";
import { ENVOY_MAGLEV, ENVOY_RING_HASH } from "../../../src/scenario/defaults.ts";

/** A cluster as a proxy holds it: endpoints sorted by id (only `id` is read), weights and active counts. */
function cluster(n: number, weight: (i: number) => number = () => 1): ClusterHosts {
  const ids = Array.from({ length: n }, (_, i) => `payment-${i}`).sort();
  return {
    endpoints: ids.map((id) => ({ id })),
    active: new Int32Array(n),
    weights: Float64Array.from(ids, (_, i) => weight(i)),
  };
}
const hashHostsOf = (hosts: ClusterHosts) =>
  hosts.endpoints.map((e, i) => ({ id: e.id, weight: hosts.weights[i] }));
/** A request whose key hashes to (high, low), or with no key when low is -1. */
const at = (low: number, high = 0) => ({ now: 0, hash: low, hashHigh: high });
const NO_KEY = at(-1);

const ringHash = (factor: number | null = null) =>
  createRingHash({
    minimumRingSize: 1024,
    maximumRingSize: 8_388_608,
    hashFunction: "XX_HASH",
    hashBalanceFactor: factor,
  });
const maglev = (factor: number | null = null, tableSize = 65_537) =>
  createMaglev({ tableSize, hashFunction: "XX_HASH", hashBalanceFactor: factor });

/** Fraction of the 64-bit hash space each host serves (to double precision). */
function ringShares(ring: Ring, n: number): number[] {
  const point = (p: number) => ring.high[p] * 2 ** 32 + ring.low[p];
  const last = ring.hosts.length - 1;
  const shares = new Array(n).fill(0);
  for (let p = 0; p <= last; p++) {
    const previous = p === 0 ? point(last) - 2 ** 64 : point(p - 1);
    shares[ring.hosts[p]] += (point(p) - previous) / 2 ** 64;
  }
  return shares;
}
const uint32 = fc.integer({ min: 0, max: 0xffffffff });

function chiSquare(observed: number[], probabilities: number[], total: number): number {
  return observed.reduce(
    (s, o, i) => s + (o - total * probabilities[i]) ** 2 / (total * probabilities[i]),
    0,
  );
}

describe("hashing balancers", () => {
  it("are named ring-hash and maglev", () => {
    expect(ringHash()(cluster(2)).policy).toBe("ring-hash");
    expect(maglev()(cluster(2)).policy).toBe("maglev");
  });

  it("reject bad configuration when created, before any cluster is seen", () => {
    const ring = { hashFunction: "XX_HASH" as const };
    expect(() =>
      createRingHash({
        ...ring,
        minimumRingSize: 4096,
        maximumRingSize: 1024,
        hashBalanceFactor: null,
      }),
    ).toThrow(/minimumRingSize/);
    expect(() =>
      createRingHash({
        ...ring,
        minimumRingSize: 1024,
        maximumRingSize: 4096,
        hashBalanceFactor: 90,
      }),
    ).toThrow(/integer percent >= 100/);
    expect(() =>
      createMaglev({ tableSize: 65_536, hashFunction: "XX_HASH", hashBalanceFactor: null }),
    ).toThrow(/must be a prime/);
  });

  type FactoryConfig =
    | { kind: "ring-hash"; factor: number | null; spill: "shuffle" | "ring-walk" }
    | { kind: "maglev"; factor: number | null; tableSize: number };
  const anyFactory: fc.Arbitrary<FactoryConfig> = fc.oneof(
    fc.record({
      kind: fc.constant("ring-hash" as const),
      factor: fc.option(fc.integer({ min: 100, max: 300 })),
      spill: fc.constantFrom("shuffle" as const, "ring-walk" as const),
    }),
    fc.record({
      kind: fc.constant("maglev" as const),
      factor: fc.option(fc.integer({ min: 100, max: 300 })),
      tableSize: fc.constantFrom(7, 101, 1009, 65_537),
    }),
  );
  const build = (f: FactoryConfig): BalancerFactory =>
    f.kind === "ring-hash"
      ? createRingHash({
          minimumRingSize: 256,
          maximumRingSize: 4096,
          hashFunction: "XX_HASH",
          hashBalanceFactor: f.factor,
          spill: f.spill,
        })
      : createMaglev({
          tableSize: f.tableSize,
          hashFunction: "XX_HASH",
          hashBalanceFactor: f.factor,
        });

  fcTest.prop([
    anyFactory,
    fc.integer({ min: 1, max: 30 }),
    fc.array(fc.tuple(fc.oneof(fc.constant(-1), uint32), uint32), {
      minLength: 1,
      maxLength: 40,
    }),
    fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }),
  ])(
    "never return an index outside [0, endpoints.length), with or without a key or a load bound",
    (config, n, hashes, active) => {
      const hosts = cluster(n, (i) => 1 + (i % 3));
      hosts.active.set(active.slice(0, n));
      const balancer = build(config)(hosts);
      const rng = new RandomStreams(1).get("proxy/balancer");
      for (const [low, high] of hashes) {
        const index = balancer.pick(hosts, rng, at(low, high));
        expect(Number.isInteger(index) && index >= 0 && index < n).toBe(true);
      }
    },
  );

  fcTest.prop(
    [
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.tuple(uint32, uint32), { minLength: 1, maxLength: 60 }),
    ],
    { numRuns: 30 },
  )(
    "without a load bound serve a key's hash from the table lookup, the same in every proxy",
    (n, hashes) => {
      const hosts = cluster(n, (i) => 1 + (i % 2));
      const ring = buildRing(hashHostsOf(hosts), ENVOY_RING_HASH);
      const table = buildMaglev(hashHostsOf(hosts), ENVOY_MAGLEV.tableSize, "XX_HASH");
      const ringFactory = ringHash();
      const maglevFactory = maglev();
      const [r1, r2, m1, m2] = [
        ringFactory(hosts),
        ringFactory(cluster(n, (i) => 1 + (i % 2))),
        maglevFactory(hosts),
        maglevFactory(hosts),
      ];
      const rng = new RandomStreams(2).get("unused");
      for (const [high, low] of hashes) {
        expect(r1.pick(hosts, rng, at(low, high))).toBe(ringLookup(ring, high, low));
        expect(r2.pick(hosts, rng, at(low, high))).toBe(ringLookup(ring, high, low));
        expect(m1.pick(hosts, rng, at(low, high))).toBe(maglevLookup(table, high, low));
        expect(m2.pick(hosts, rng, at(low, high))).toBe(maglevLookup(table, high, low));
      }
    },
  );

  // Envoy hashes a random number when a request has no hash key, so such requests spread by each
  // host's share of the table: about 1/N for equal-weight Maglev (⌊M/N⌋ or ⌈M/N⌉ of M slots) and the
  // hosts' arc shares on a ring (uneven: each of n hosts has only ~1024/n points). Chi-square against
  // the exact shares with N − 1 degrees of freedom (mean N − 1, sd sqrt(2(N − 1))): fail above
  // mean + 6 sd, which a correct sampler passes with probability above 0.9999.
  const PICKS = 100_000;
  for (const [name, factory] of [
    ["maglev", maglev()],
    ["ring-hash", ringHash()],
  ] as const) {
    it(`${name} spreads requests without a key by table share, drawing a 64-bit hash from the proxy's stream`, () => {
      for (const n of [2, 5, 12]) {
        const hosts = cluster(n);
        const shares =
          name === "maglev"
            ? Array.from(
                buildMaglev(hashHostsOf(hosts), ENVOY_MAGLEV.tableSize, "XX_HASH").entriesPerHost,
                (c) => c / 65_537,
              )
            : ringShares(buildRing(hashHostsOf(hosts), ENVOY_RING_HASH), n);
        const counts = new Array(n).fill(0);
        const balancer = factory(hosts);
        const rng = new RandomStreams(n).get(`load/${name}`);
        for (let k = 0; k < PICKS; k++) counts[balancer.pick(hosts, rng, NO_KEY)]++;
        const dof = n - 1;
        expect(chiSquare(counts, shares, PICKS), `n = ${n}`).toBeLessThan(
          dof + 6 * Math.sqrt(2 * dof),
        );
        if (name === "maglev")
          for (const s of shares) expect(Math.abs(s - 1 / n)).toBeLessThanOrEqual(1 / 65_537);
      }
    });
  }

  it("draw from the proxy's stream only for requests without a key: 64 bits (two words), as Envoy's random()", () => {
    const hosts = cluster(5);
    const balancer = maglev()(hosts);
    const used = new RandomStreams(3).get("a");
    const fresh = new RandomStreams(3).get("a");
    balancer.pick(hosts, used, at(12345, 678));
    balancer.pick(hosts, used, NO_KEY);
    fresh.nextUint32();
    fresh.nextUint32();
    expect(used.nextUint32()).toBe(fresh.nextUint32());
  });

  it("with MURMUR3_32, meshsim's former hashing, draw one 32-bit word for a request without a key", () => {
    const hosts = cluster(5);
    const balancer = createMaglev({
      tableSize: 65_537,
      hashFunction: "MURMUR3_32",
      hashBalanceFactor: null,
    })(hosts);
    const used = new RandomStreams(3).get("a");
    const fresh = new RandomStreams(3).get("a");
    balancer.pick(hosts, used, NO_KEY);
    fresh.nextUint32();
    expect(used.nextUint32()).toBe(fresh.nextUint32());
  });

  for (const [name, factory] of [
    ["maglev", maglev(150)],
    ["ring-hash", ringHash(150)],
  ] as const) {
    it(`${name} with hashBalanceFactor 150 moves a key off its host once that host has more active requests than its slots`, () => {
      const n = 4;
      const hosts = cluster(n);
      const balancer = factory(hosts);
      const rng = new RandomStreams(4).get("x");
      const hash = 0xc0ffee;
      const home = balancer.pick(hosts, rng, at(hash));
      // 6 active in all: 11 cluster slots, 3 per host. At 3 the home host still takes the key.
      hosts.active[home] = 3;
      hosts.active[(home + 1) % n] = 3;
      expect(hostSlots(clusterSlots(6, 150), 1, n)).toBe(3);
      expect(balancer.pick(hosts, rng, at(hash))).toBe(home);
      // At 4 (7 active, still 3 slots per host) it spills to a host within its slots.
      hosts.active[home] = 4;
      const spilled = balancer.pick(hosts, rng, at(hash));
      expect(spilled).not.toBe(home);
      expect(hosts.active[spilled]).toBeLessThanOrEqual(3);
      expect(balancer.pick(hosts, rng, at(hash))).toBe(spilled);
    });
  }
});
