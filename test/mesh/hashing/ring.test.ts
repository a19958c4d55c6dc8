import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { murmur3_32, murmur3_32_int } from "../../../src/kernel/murmur3.ts";
import { toBigInt } from "../../../src/kernel/uint64.ts";
import { xxHash64 } from "../../../src/kernel/xxhash64.ts";
import type { HashHost } from "../../../src/mesh/hashing/hosts.ts";
import { buildRing, type Ring, ringLookup, ringPosition } from "../../../src/mesh/hashing/ring.ts";
import { ENVOY_RING_HASH } from "../../../src/scenario/defaults.ts";

const TWO_64 = 2 ** 64;
const equalHosts = (prefix: string, n: number): HashHost[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, weight: 1 }));
const weighted = (...pairs: [string, number][]): HashHost[] =>
  pairs.map(([id, weight]) => ({ id, weight }));

/** The ring's points as 16 hex digits each, with their owners' keys. */
function points(ring: Ring, hosts: readonly HashHost[]): [string, string][] {
  return Array.from(ring.hosts, (h, p) => [
    toBigInt(ring.high[p], ring.low[p]).toString(16).padStart(16, "0"),
    hosts[h].id,
  ]);
}

/** The key of the host a request key's xxHash64 lands on (Envoy's header hash policy). */
function ownerOf(ring: Ring, hosts: readonly HashHost[], key: string): string {
  const hash = xxHash64(key);
  return hosts[ringLookup(ring, Number(hash >> 32n), Number(hash & 0xffffffffn))].id;
}

/** A pseudo-random 64-bit hash for key k (two murmur3 words), for statistical checks. */
const hashOf = (k: number, seed = 0): [number, number] => [
  murmur3_32_int(k, seed),
  murmur3_32_int(k, seed ^ 0x5bd1e995),
];

/** Fraction of the 64-bit hash space a host serves (to double precision): keys in (previous, point]. */
function arcShare(ring: Ring, host: number): number {
  const at = (p: number) => ring.high[p] * 2 ** 32 + ring.low[p];
  const last = ring.hosts.length - 1;
  let owned = 0;
  for (let p = 0; p <= last; p++) {
    const previous = p === 0 ? at(last) - TWO_64 : at(p - 1);
    if (ring.hosts[p] === host) owned += at(p) - previous;
  }
  return owned / TWO_64;
}

describe("ring construction (Envoy's scale rule)", () => {
  it("gives n equal hosts ceil(1024 / n) points each by default", () => {
    for (const n of [1, 2, 3, 7, 50, 1024, 1500]) {
      const ring = buildRing(equalHosts("payment", n), ENVOY_RING_HASH);
      expect(Array.from(ring.pointsPerHost), `n = ${n}`).toEqual(
        Array(n).fill(Math.ceil(1024 / n)),
      );
      expect(ring.hosts.length).toBe(n * Math.ceil(1024 / n));
    }
  });

  it("scales so the lightest host gets a whole number of points: weights 1:3 at minimum 1e6 give 250,000 : 750,000", () => {
    const ring = buildRing(weighted(["a", 1], ["b", 3]), {
      ...ENVOY_RING_HASH,
      minimumRingSize: 1_000_000,
    });
    expect(Array.from(ring.pointsPerHost)).toEqual([250_000, 750_000]);
  });

  it("caps the ring at maximumRingSize and shares fractional counts by running sums, as Envoy's own example (4 hosts, scale 6 → 2, 1, 2, 1)", () => {
    const ring = buildRing(equalHosts("h", 4), {
      ...ENVOY_RING_HASH,
      minimumRingSize: 6,
      maximumRingSize: 6,
    });
    expect(Array.from(ring.pointsPerHost)).toEqual([2, 1, 2, 1]);
    // 7 hosts would need 7 · ceil(900/7) = 903 points for whole counts; the cap keeps 900 (128 or 129 each).
    const capped = buildRing(equalHosts("h", 7), {
      ...ENVOY_RING_HASH,
      minimumRingSize: 900,
      maximumRingSize: 900,
    });
    expect(capped.hosts.length).toBe(900);
    expect(Array.from(capped.pointsPerHost).every((c) => c === 128 || c === 129)).toBe(true);
  });

  it("rejects sizes outside Envoy's limits, no hosts, duplicate ids and weights that are not > 0", () => {
    expect(() =>
      buildRing(equalHosts("a", 2), {
        ...ENVOY_RING_HASH,
        minimumRingSize: 2048,
        maximumRingSize: 1024,
      }),
    ).toThrow(/minimumRingSize \(2048\) > maximumRingSize \(1024\)/);
    expect(() =>
      buildRing(equalHosts("a", 2), { ...ENVOY_RING_HASH, maximumRingSize: 8_388_609 }),
    ).toThrow(/maximumRingSize must be an integer in \[1, 8388608\]/);
    expect(() => buildRing(equalHosts("a", 2), { ...ENVOY_RING_HASH, minimumRingSize: 0 })).toThrow(
      /minimumRingSize/,
    );
    expect(() => buildRing([], ENVOY_RING_HASH)).toThrow(/at least one host/);
    expect(() => buildRing(weighted(["x", 1], ["x", 1]), ENVOY_RING_HASH)).toThrow(
      /"x" appears twice/,
    );
    expect(() => buildRing([{ id: "x", weight: 0 }], ENVOY_RING_HASH)).toThrow(
      /weights must be finite and > 0/,
    );
  });
});

// Worked examples: the points and owners below were computed by a line-by-line C++ transcription of
// RingHashLoadBalancer::Ring and Ring::chooseHost (envoyproxy/envoy,
// source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc) linked against libxxhash 0.8.1
// (HashUtil::xxHash64 is XXH64 with seed 0) and g++'s std::hash<std::string> (MurmurHash::murmurHash2
// with STD_HASH_SEED). Request keys are hashed as Envoy's header hash policy does: xxHash64 of the value.
describe("ring points and owners, as Envoy computes them", () => {
  const three = weighted(["10.0.0.1:8080", 1], ["10.0.0.2:8080", 1], ["10.0.0.3:8080", 1]);

  it("XX_HASH (the default): point i of host key k is xxHash64(`${k}_${i}`); 3 hosts at ring size 6", () => {
    const ring = buildRing(three, { ...ENVOY_RING_HASH, minimumRingSize: 6, maximumRingSize: 6 });
    expect(points(ring, three)).toEqual([
      ["06a50ab67f1f0127", "10.0.0.2:8080"],
      ["23a29ae775dfd4a3", "10.0.0.1:8080"],
      ["3860c69f3ebc86ee", "10.0.0.3:8080"],
      ["ce921411711a8ace", "10.0.0.2:8080"],
      ["d1470139ee5731c3", "10.0.0.3:8080"],
      ["e6acd2238f8f5a9c", "10.0.0.1:8080"],
    ]);
    // userId-1 (0xe61d…) falls just before the last point; cart-7 (0xfad2…) is past it and wraps to point 0.
    expect(
      ["userId-0", "userId-1", "userId-2", "userId-42", "cart-7"].map((k) =>
        ownerOf(ring, three, k),
      ),
    ).toEqual([
      "10.0.0.2:8080",
      "10.0.0.1:8080",
      "10.0.0.2:8080",
      "10.0.0.2:8080",
      "10.0.0.2:8080",
    ]);
  });

  it("MURMUR_HASH_2: the points are std::hash of the same keys; request keys are still hashed with xxHash64", () => {
    const ring = buildRing(three, {
      ...ENVOY_RING_HASH,
      minimumRingSize: 6,
      maximumRingSize: 6,
      hashFunction: "MURMUR_HASH_2",
    });
    expect(points(ring, three)).toEqual([
      ["26fd9199dbca0184", "10.0.0.1:8080"],
      ["28125cc835986945", "10.0.0.1:8080"],
      ["5d98cd639ddb38dc", "10.0.0.2:8080"],
      ["714859e238f461cb", "10.0.0.2:8080"],
      ["834e8cc1790e98d4", "10.0.0.3:8080"],
      ["e1783833d460e1db", "10.0.0.3:8080"],
    ]);
    expect(["userId-0", "userId-1", "userId-42"].map((k) => ownerOf(ring, three, k))).toEqual([
      "10.0.0.2:8080",
      "10.0.0.1:8080",
      "10.0.0.3:8080",
    ]);
  });

  it("weights 1, 2, 1 at minimum 3, maximum 5: scale 4 gives 1, 2, 1 points", () => {
    const hosts = weighted(["payment-0", 1], ["payment-1", 2], ["payment-2", 1]);
    const ring = buildRing(hosts, { ...ENVOY_RING_HASH, minimumRingSize: 3, maximumRingSize: 5 });
    expect(points(ring, hosts)).toEqual([
      ["26fef316b40c657f", "payment-1"],
      ["3b287d5b70644ff1", "payment-0"],
      ["4866b3f48676dd32", "payment-1"],
      ["5ec652e2e0c42f33", "payment-2"],
    ]);
    expect(ownerOf(ring, hosts, "userId-7")).toBe("payment-2");
  });

  it("5 equal hosts at the default sizes: 205 points each, and where userId-0 … userId-19 land", () => {
    const hosts = equalHosts("payment", 5);
    const ring = buildRing(hosts, ENVOY_RING_HASH);
    expect(Array.from(ring.pointsPerHost)).toEqual([205, 205, 205, 205, 205]);
    const owners = Array.from({ length: 20 }, (_, k) => ownerOf(ring, hosts, `userId-${k}`));
    expect(owners.map((id) => Number(id.slice("payment-".length)))).toEqual([
      2, 1, 1, 0, 1, 1, 1, 2, 0, 0, 0, 2, 2, 0, 3, 2, 3, 0, 4, 4,
    ]);
    // userId-0 hashes to 0x589526475787e7d7, served by point 371.
    expect(ringPosition(ring, 0x58952647, 0x5787e7d7)).toBe(371);
  });
});

/** Envoy's ketama search (ring_hash_lb.cc, Ring::chooseHost), over bigint points, for comparison. */
function ketama(ring: readonly bigint[], h: bigint): number {
  let lowp = 0;
  let highp = ring.length;
  for (;;) {
    let midp = Math.trunc((lowp + highp) / 2);
    if (midp === ring.length) return 0;
    const midval = ring[midp];
    const midval1 = midp === 0 ? 0n : ring[midp - 1];
    if (h <= midval && h > midval1) return midp;
    if (midval < h) lowp = midp + 1;
    else highp = midp - 1;
    if (lowp > highp) {
      midp = 0;
      return midp;
    }
  }
}

describe("ring lookup", () => {
  const ring = buildRing(equalHosts("search", 7), ENVOY_RING_HASH);
  const uint32 = fc.integer({ min: 0, max: 0xffffffff });

  fcTest.prop([uint32, uint32])(
    "serves a hash from the first point at or after it, wrapping to the first point",
    (high, low) => {
      const hash = toBigInt(high, low);
      let expected = 0;
      while (
        expected < ring.hosts.length &&
        toBigInt(ring.high[expected], ring.low[expected]) < hash
      )
        expected++;
      if (expected === ring.hosts.length) expected = 0;
      expect(ringPosition(ring, high, low)).toBe(expected);
      expect(ringLookup(ring, high, low)).toBe(ring.hosts[expected]);
    },
  );

  fcTest.prop([
    fc.array(fc.bigInt({ min: 0n, max: 40n }), { minLength: 1, maxLength: 12 }),
    fc.bigInt({ min: 0n, max: 42n }),
  ])(
    "finds the point Envoy's ketama binary search finds, duplicates and edges included",
    (raw, h) => {
      const sorted = [...raw].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const fake: Ring = {
        high: new Uint32Array(sorted.length),
        low: Uint32Array.from(sorted, Number),
        hosts: new Int32Array(sorted.length),
        pointsPerHost: new Int32Array(1),
      };
      expect(ringPosition(fake, 0, Number(h))).toBe(ketama(sorted, h));
    },
  );

  it("serves each point's own hash from that point, and hashes past the last point from point 0", () => {
    const last = ring.hosts.length - 1;
    expect(ringPosition(ring, ring.high[3], ring.low[3])).toBe(3);
    expect(ringPosition(ring, ring.high[3], ring.low[3] + 1)).toBe(4);
    expect(ringPosition(ring, 0, 0)).toBe(0);
    expect(ringPosition(ring, ring.high[last], ring.low[last] + 1)).toBe(0);
  });

  fcTest.prop([
    fc.integer({ min: 1, max: 30 }),
    fc.array(fc.tuple(uint32, uint32), { minLength: 1, maxLength: 50 }),
  ])(
    "is deterministic: a ring built twice, from the hosts listed in any order, is identical and serves the same hosts",
    (n, keys) => {
      const hosts = equalHosts("pay", n).map((h, i) => ({ ...h, weight: 1 + (i % 3) }));
      const a = buildRing(hosts, ENVOY_RING_HASH);
      const b = buildRing([...hosts].reverse(), ENVOY_RING_HASH);
      expect(b.high).toEqual(a.high);
      expect(b.low).toEqual(a.low);
      // b's indices refer to the reversed list; compare by id.
      expect(Array.from(b.hosts, (i) => [...hosts].reverse()[i].id)).toEqual(
        Array.from(a.hosts, (i) => hosts[i].id),
      );
      const again = buildRing(hosts, ENVOY_RING_HASH);
      for (const [high, low] of keys)
        expect(ringLookup(again, high, low)).toBe(ringLookup(a, high, low));
    },
  );
});

describe("MURMUR3_32, meshsim's former hashing", () => {
  it("hashes point i of host `id` as 32-bit murmur3(`${id}_${i}`) and sorts the points", () => {
    const ring = buildRing(weighted(["cart-0", 1], ["cart-1", 2]), {
      ...ENVOY_RING_HASH,
      minimumRingSize: 9,
      hashFunction: "MURMUR3_32",
    });
    const expected = [0, 1, 2]
      .map((i) => murmur3_32(`cart-0_${i}`))
      .concat([0, 1, 2, 3, 4, 5].map((i) => murmur3_32(`cart-1_${i}`)));
    expect(Array.from(ring.high)).toEqual(Array(9).fill(0));
    expect(Array.from(ring.low)).toEqual(expected.sort((a, b) => a - b));
  });

  it("orders points with equal hashes by host id, so the lower id serves that hash", () => {
    // Find two ids whose first points collide (birthday search over 2^32; a few hundred thousand
    // candidates hold about five collisions) and list the higher id first.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let k = 0; pair === undefined; k++) {
      const id = `h${k}`;
      const hash = murmur3_32(`${id}_0`);
      const other = seen.get(hash);
      if (other !== undefined) pair = [other, id];
      else seen.set(hash, id);
    }
    const [low, high] = pair[0] < pair[1] ? pair : [pair[1], pair[0]];
    const ring = buildRing(weighted([high, 1], [low, 1]), {
      ...ENVOY_RING_HASH,
      minimumRingSize: 2,
      maximumRingSize: 2,
      hashFunction: "MURMUR3_32",
    });
    expect(ring.low[0]).toBe(ring.low[1]);
    expect(Array.from(ring.hosts)).toEqual([1, 0]);
    expect(ringLookup(ring, 0, ring.low[0])).toBe(1);
  });
});

describe("adding a host to a ring", () => {
  const KEYS = 20_000;

  // Keys whose old point survives can only stay or move to the new host: the new ring holds the
  // surviving old points plus the new host's. Envoy's rescale (each of n equal hosts has
  // ceil(1024/n) points) drops old points when that count falls, and a key on a dropped point may
  // land on another old host: the behaviour reported in envoyproxy/envoy#22558 and istio/istio#41814.
  //
  // Tolerances, 5 standard deviations each: the new host's sampled share differs from its exact arc
  // share s by binomial error, sqrt(s(1−s)/K); the arc share of p of N points placed by a good hash
  // is Beta(p, N − p) with variance q(1−q)/(N+1), q = p/N (here exactly 1/(n+1)).
  fcTest.prop(
    [
      fc.integer({ min: 2, max: 50 }),
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.integer({ min: 0, max: 0xffffffff }),
    ],
    { numRuns: 40 },
  )(
    "moves about 1/(n+1) of keys to the new host, and moves a key between two old hosts only from a point the rescale dropped",
    (n, service, seed) => {
      const before = buildRing(equalHosts(service, n), ENVOY_RING_HASH);
      const after = buildRing(equalHosts(service, n + 1), ENVOY_RING_HASH);
      const surviving = new Set<string>();
      for (let p = 0; p < after.hosts.length; p++)
        surviving.add(`${after.hosts[p]}:${after.high[p]}:${after.low[p]}`);

      let toNew = 0;
      let betweenOld = 0;
      let betweenOldFromSurvivingPoint = 0;
      for (let k = 0; k < KEYS; k++) {
        const [high, low] = hashOf(k, seed);
        const p = ringPosition(before, high, low);
        const was = before.hosts[p];
        const now = ringLookup(after, high, low);
        if (now === n) toNew++;
        else if (now !== was) {
          betweenOld++;
          if (surviving.has(`${was}:${before.high[p]}:${before.low[p]}`))
            betweenOldFromSurvivingPoint++;
        }
      }
      expect(betweenOldFromSurvivingPoint).toBe(0);
      if (after.pointsPerHost[0] === before.pointsPerHost[0]) expect(betweenOld).toBe(0);

      const share = arcShare(after, n);
      expect(Math.abs(toNew / KEYS - share)).toBeLessThanOrEqual(
        5 * Math.sqrt((share * (1 - share)) / KEYS),
      );
      const q = after.pointsPerHost[n] / after.hosts.length;
      expect(q).toBeCloseTo(1 / (n + 1), 12);
      expect(Math.abs(share - q)).toBeLessThanOrEqual(
        5 * Math.sqrt((q * (1 - q)) / (after.hosts.length + 1)),
      );
    },
  );

  it("moves only the new host's share when every old host keeps its points (45 → 46 hosts: 23 points each)", () => {
    const before = buildRing(equalHosts("payment", 45), ENVOY_RING_HASH);
    const after = buildRing(equalHosts("payment", 46), ENVOY_RING_HASH);
    expect([before.pointsPerHost[0], after.pointsPerHost[0]]).toEqual([23, 23]);
    let moved = 0;
    let toNew = 0;
    for (let k = 0; k < KEYS; k++) {
      const [high, low] = hashOf(k);
      const now = ringLookup(after, high, low);
      if (now !== ringLookup(before, high, low)) moved++;
      if (now === 45) toNew++;
    }
    expect(moved).toBe(toNew);
  });

  it("moves keys between old hosts when the rescale drops points (2 → 3 hosts: 512 → 342 points each)", () => {
    const before = buildRing(equalHosts("payment", 2), ENVOY_RING_HASH);
    const after = buildRing(equalHosts("payment", 3), ENVOY_RING_HASH);
    let betweenOld = 0;
    for (let k = 0; k < KEYS; k++) {
      const [high, low] = hashOf(k);
      const now = ringLookup(after, high, low);
      if (now !== 2 && now !== ringLookup(before, high, low)) betweenOld++;
    }
    // A third of each old host's points go; about a third of their keys land on the other old host,
    // so roughly 1/3 · 1/3 of all keys. Only the sign matters here.
    expect(betweenOld).toBeGreaterThan(KEYS / 20);
  });
});
