import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { murmur3_32_int } from "../../../src/kernel/murmur3.ts";
import {
  boundedPick,
  clusterSlots,
  hostSlots,
  LoadBound,
  type Probe,
  RingWalkProbe,
  ShuffleProbe,
} from "../../../src/mesh/hashing/boundedLoad.ts";
import { buildMaglev, maglevLookup } from "../../../src/mesh/hashing/maglev.ts";
import { buildRing, ringLookup, ringPosition } from "../../../src/mesh/hashing/ring.ts";
import { ENVOY_RING_HASH } from "../../../src/scenario/defaults.ts";

const hosts = (n: number, weight: (i: number) => number = () => 1) =>
  Array.from({ length: n }, (_, i) => ({ id: `cache-${i}`, weight: weight(i) }));
const drain = (probe: Probe): number[] => {
  const out: number[] = [];
  for (let h = probe.next(); h !== -1; h = probe.next()) out.push(h);
  return out;
};
/** ⌈a / b⌉ for non-negative integers, without floating division. */
const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);

describe("Envoy's slot formula", () => {
  it("gives the cluster ceil((active + 1) · F / 100) slots and a host max(1, ceil(slots · w / W))", () => {
    expect(clusterSlots(0, 150)).toBe(2); // ceil(1.5)
    expect(clusterSlots(9, 150)).toBe(15);
    expect(clusterSlots(10, 150)).toBe(17); // ceil(16.5)
    expect(clusterSlots(99, 100)).toBe(100);
    expect(hostSlots(15, 1, 4)).toBe(4); // ceil(3.75)
    expect(hostSlots(16, 1, 4)).toBe(4);
    expect(hostSlots(2, 1, 10)).toBe(1); // never 0
    expect(hostSlots(17, 2, 3)).toBe(12); // ceil(11.33)
  });
});

describe("probe orders", () => {
  fcTest.prop([fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 0xffffffff })])(
    "the shuffle offers every host exactly once, in the same order for the same hash",
    (n, hash) => {
      const probe = new ShuffleProbe(n);
      const order = drain(probe.start(hash));
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      drain(probe.start(hash ^ 1));
      expect(drain(probe.start(hash))).toEqual(order);
    },
  );

  // Worked examples: a C++ transcription of Envoy's shuffle (BoundedLoadHashingLoadBalancer::chooseHost
  // in envoyproxy/envoy source/extensions/load_balancing_policies/common/thread_aware_lb_impl.cc),
  // compiled with g++'s std::mt19937, printed these probe orders. mt19937 keeps the seed mod 2^32, so
  // a 64-bit hash probes as its low word does.
  it.each([
    [0xc0ffee, 5, [2, 3, 4, 1, 0]],
    [0x5787e7d7, 8, [1, 0, 4, 5, 7, 3, 6, 2]],
    [0, 3, [1, 2, 0]],
    [0xffffffff, 12, [1, 2, 11, 8, 10, 3, 4, 6, 5, 9, 0, 7]],
  ])("the shuffle for hash %i over %i hosts is Envoy's: %j", (hash, n, order) => {
    expect(drain(new ShuffleProbe(n).start(hash))).toEqual(order);
  });

  it("the shuffle scatters: over many hashes each host is first about equally often", () => {
    const n = 8;
    const probe = new ShuffleProbe(n);
    const first = new Array(n).fill(0);
    const trials = 40_000;
    for (let k = 0; k < trials; k++) first[probe.start(murmur3_32_int(k)).next()]++;
    // Chi-square with n − 1 = 7 degrees of freedom: mean 7, sd sqrt(14); 7 + 6·3.74 ≈ 29.
    const expected = trials / n;
    expect(first.reduce((s, o) => s + (o - expected) ** 2 / expected, 0)).toBeLessThan(29);
  });

  fcTest.prop([
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 0, max: 0xffffffff }),
  ])(
    "the ring walk offers the other hosts clockwise from the key's point, each once, in order of first appearance",
    (n, high, low) => {
      const ring = buildRing(hosts(n), { ...ENVOY_RING_HASH, minimumRingSize: 64 });
      const start = ringPosition(ring, high, low);
      const size = ring.hosts.length;
      const expected: number[] = [];
      for (let step = 1; step < size; step++) {
        const host = ring.hosts[(start + step) % size];
        if (host !== ring.hosts[start] && !expected.includes(host)) expected.push(host);
      }
      expect(drain(new RingWalkProbe(ring, n).start(high, low))).toEqual(expected);
    },
  );
});

describe("boundedPick", () => {
  const listProbe = (list: number[]): Probe => {
    let i = 0;
    return { next: () => (i < list.length ? list[i++] : -1) };
  };

  it("keeps the table's choice while its load is at most its slots (Envoy's test), else takes the first candidate within its own", () => {
    const load = [3, 5, 2, 0];
    expect(boundedPick(0, listProbe([1, 2, 3]), load, () => 3)).toBe(0);
    expect(boundedPick(1, listProbe([1, 0, 2, 3]), load, () => 2)).toBe(2);
  });

  it("falls back to the least loaded per slot, the earliest on ties, when every host is over", () => {
    const load = [9, 6, 4, 8];
    const slots = [3, 2, 1, 4]; // factors 3, 3, 4, 2
    expect(boundedPick(0, listProbe([1, 2, 3]), load, (h) => slots[h])).toBe(3);
    expect(boundedPick(0, listProbe([2, 1]), load, (h) => slots[h])).toBe(0);
  });

  // Place m keys one at a time (loads only grow). For equal weights a host's slots before the j-th
  // placement are ceil(ceil(j·F/100) / n) = ceil(j·F/(100n)), which grows with j. Not every host
  // can be over (their loads would sum past j·F/100 >= j > j − 1 placed), so the fallback never
  // runs. Envoy's test (load <= slots) therefore ends a host at most at ⌈F·m/(100n)⌉ + 1; the
  // paper's (load + 1 <= capacity, i.e. slots − 1 here) at most at ⌈F·m/(100n)⌉.
  const placement = fc.record({
    n: fc.integer({ min: 1, max: 20 }),
    factor: fc.integer({ min: 100, max: 300 }),
    m: fc.integer({ min: 1, max: 3000 }),
    distinctKeys: fc.integer({ min: 1, max: 200 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    table: fc.constantFrom("maglev", "ring-shuffle", "ring-walk"),
  });

  function place(
    p: { n: number; factor: number; m: number; distinctKeys: number; seed: number; table: string },
    strict: boolean,
  ): Int32Array {
    const set = hosts(p.n);
    const load = new Int32Array(p.n);
    const maglev = p.table === "maglev" ? buildMaglev(set, 1009, "XX_HASH") : null;
    const ring = buildRing(set, ENVOY_RING_HASH);
    const walk = new RingWalkProbe(ring, p.n);
    const shuffle = new ShuffleProbe(p.n);
    for (let j = 0; j < p.m; j++) {
      // Few distinct keys make hot spots, which is what the bound is for.
      const key = j % p.distinctKeys;
      const [high, low] = [murmur3_32_int(key, p.seed), murmur3_32_int(key, p.seed + 1)];
      const first = maglev !== null ? maglevLookup(maglev, high, low) : ringLookup(ring, high, low);
      const probe = p.table === "ring-walk" ? walk.start(high, low) : shuffle.start(low);
      const slots = clusterSlots(j, p.factor);
      load[boundedPick(first, probe, load, (h) => hostSlots(slots, 1, p.n) - (strict ? 1 : 0))]++;
    }
    return load;
  }

  fcTest.prop([placement], { numRuns: 60 })(
    "with Envoy's test never puts more than ⌈c·m/n⌉ + 1 keys on a host",
    (p) => {
      const load = place(p, false);
      expect(Math.max(...load)).toBeLessThanOrEqual(ceilDiv(p.factor * p.m, 100 * p.n) + 1);
    },
  );

  fcTest.prop([placement], { numRuns: 60 })(
    "with the paper's test never puts more than ⌈c·m/n⌉ keys on a host",
    (p) => {
      const load = place(p, true);
      expect(Math.max(...load)).toBeLessThanOrEqual(ceilDiv(p.factor * p.m, 100 * p.n));
    },
  );

  fcTest.prop(
    [
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 100, max: 250 }),
      fc.integer({ min: 1, max: 2000 }),
      fc.integer({ min: 1, max: 50 }),
    ],
    { numRuns: 40 },
  )(
    "respects weights: host i never passes max(1, ⌈⌈c·m⌉·w_i/W⌉) + 1 when m keys are placed through LoadBound",
    (weights, factor, m, distinctKeys) => {
      const set = hosts(weights.length, (i) => weights[i]);
      const table = buildMaglev(set, 1009, "XX_HASH");
      const bound = new LoadBound(Float64Array.from(weights), factor);
      const probe = new ShuffleProbe(weights.length);
      const load = new Int32Array(weights.length);
      for (let j = 0; j < m; j++) {
        const [high, low] = [murmur3_32_int(j % distinctKeys), murmur3_32_int(j % distinctKeys, 1)];
        load[bound.pick(maglevLookup(table, high, low), probe.start(low), load)]++;
      }
      const sum = weights.reduce((s, w) => s + w, 0);
      const finalSlots = ceilDiv(factor * m, 100);
      weights.forEach((w, i) => {
        expect(load[i]).toBeLessThanOrEqual(Math.max(1, ceilDiv(finalSlots * w, sum)) + 1);
      });
    },
  );

  it("rejects a balance factor that is not an integer percent >= 100", () => {
    expect(() => new LoadBound(Float64Array.of(1), 99)).toThrow(/integer percent >= 100/);
    expect(() => new LoadBound(Float64Array.of(1), 150.5)).toThrow(/integer percent >= 100/);
  });
});
