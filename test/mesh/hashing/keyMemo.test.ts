// The memo of a hashing table's hosts by request key (src/mesh/hashing/keyMemo.ts) and the KEYED
// requests that use it: a memoised pick must be the pick of the key's hash words, whatever the
// keys, the host sets (each its own table and memo) and the order they come in.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/kernel/random.ts";
import { KeySpace } from "../../../src/load/keys.ts";
import {
  type BalancerFactory,
  type ClusterHosts,
  KEYED,
  type PickRequest,
} from "../../../src/mesh/balancers/balancer.ts";
import { createMaglev } from "../../../src/mesh/balancers/maglev.ts";
import { createRandom } from "../../../src/mesh/balancers/random.ts";
import { createRingHash } from "../../../src/mesh/balancers/ringHash.ts";
import { Cluster, type ClusterMember } from "../../../src/mesh/cluster.ts";
import { KeyMemo, MEMO_HOSTS, MEMO_KEYS } from "../../../src/mesh/hashing/keyMemo.ts";
import type { KeyHashes } from "../../../src/model/request.ts";
import type { KeySpec } from "../../../src/scenario/types.ts";
import { localitySetting } from "../../helpers/locality.ts";

/** A key space whose key k hashes to (k * 7919, k * 104729 + 1) and murmur3 k ^ 0x5bd1e995, counting reads. */
class CountingKeys implements KeyHashes {
  reads = 0;
  constructor(readonly count: number) {}
  hashHigh(index: number): number {
    this.reads++;
    return (index * 7919) >>> 0;
  }
  hashLow(index: number): number {
    this.reads++;
    return (index * 104729 + 1) >>> 0;
  }
  murmur3(index: number): number {
    this.reads++;
    return (index ^ 0x5bd1e995) >>> 0;
  }
}

/** A table lookup of (high, low) into `hosts` hosts that records its calls. */
function recordingLookup(hosts: number) {
  const calls: [number, number][] = [];
  const lookup = (high: number, low: number) => {
    calls.push([high, low]);
    return ((high ^ low) >>> 0) % hosts;
  };
  return { calls, lookup };
}

const keyed = (keys: KeyHashes, keyIndex: number): PickRequest => ({
  now: 0,
  hash: KEYED,
  hashHigh: 0,
  keys,
  keyIndex,
});
const userIds = (count: number) =>
  new KeySpace({ name: "userId", count, distribution: { kind: "uniform" } } as KeySpec);

describe("a memo of a table's hosts by key", () => {
  it("gives the table's host for the key's xxHash64 words, and reads them once per key", () => {
    const { calls, lookup } = recordingLookup(7);
    const memo = new KeyMemo(lookup, 7, false);
    const keys = new CountingKeys(1000);
    for (const k of [3, 999, 3, 0, 999, 3])
      expect(memo.host(keys, k)).toBe(lookup(k * 7919, k * 104729 + 1));
    // Three distinct keys: two words each read once, the table searched once (+ the test's own calls).
    expect(keys.reads).toBe(6);
    expect(calls.length).toBe(3 + 6);
  });

  it("gives a MURMUR3_32 table the key's 32-bit murmur3 with high word 0", () => {
    const { lookup } = recordingLookup(5);
    const memo = new KeyMemo(lookup, 5, true);
    const keys = new CountingKeys(100);
    for (const k of [1, 42, 42]) expect(memo.host(keys, k)).toBe(lookup(0, (k ^ 0x5bd1e995) >>> 0));
    expect(keys.reads).toBe(2);
  });

  it("keeps each key space's hosts apart", () => {
    const { lookup } = recordingLookup(11);
    const memo = new KeyMemo(lookup, 11, false);
    const a = new CountingKeys(50);
    const b = new CountingKeys(50);
    // b's key 2 hashes like a's, so only the reads show that each space has its own memo.
    expect(memo.host(a, 2)).toBe(memo.host(b, 2));
    memo.host(a, 2);
    memo.host(b, 2);
    expect([a.reads, b.reads]).toEqual([2, 2]);
  });

  it("looks every key up again in a space past MEMO_KEYS, or a table past MEMO_HOSTS hosts", () => {
    const big = new CountingKeys(MEMO_KEYS + 1);
    const { lookup } = recordingLookup(3);
    const memo = new KeyMemo(lookup, 3, false);
    expect(memo.host(big, MEMO_KEYS)).toBe(memo.host(big, MEMO_KEYS));
    expect(big.reads).toBe(4);
    const keys = new CountingKeys(10);
    const wide = new KeyMemo(recordingLookup(MEMO_HOSTS + 1).lookup, MEMO_HOSTS + 1, false);
    expect(wide.host(keys, 9)).toBe(wide.host(keys, 9));
    expect(keys.reads).toBe(4);
  });
});

/** A proxy's view of hosts `svc-i` for i in `present`, with the given weights. */
function hostsOf(present: readonly number[], weights: readonly number[]): ClusterHosts {
  const ids = present.map((i) => `svc-${i}`).sort();
  return {
    endpoints: ids.map((id) => ({ id })),
    active: new Int32Array(ids.length),
    weights: Float64Array.from(ids, (id) => weights[Number(id.slice(4))]),
  };
}

const POLICIES: [string, () => BalancerFactory, boolean][] = [
  [
    "ring hash (XX_HASH)",
    () =>
      createRingHash({
        minimumRingSize: 64,
        maximumRingSize: 1024,
        hashFunction: "XX_HASH",
        hashBalanceFactor: null,
      }),
    true,
  ],
  [
    "ring hash (MURMUR3_32)",
    () =>
      createRingHash({
        minimumRingSize: 64,
        maximumRingSize: 1024,
        hashFunction: "MURMUR3_32",
        hashBalanceFactor: null,
      }),
    false,
  ],
  [
    "ring hash with bounded load",
    () =>
      createRingHash({
        minimumRingSize: 64,
        maximumRingSize: 1024,
        hashFunction: "XX_HASH",
        hashBalanceFactor: 150,
      }),
    true,
  ],
  [
    "Maglev (XX_HASH)",
    () => createMaglev({ tableSize: 251, hashFunction: "XX_HASH", hashBalanceFactor: null }),
    true,
  ],
  [
    "Maglev (MURMUR3_32)",
    () => createMaglev({ tableSize: 251, hashFunction: "MURMUR3_32", hashBalanceFactor: null }),
    false,
  ],
];

describe("a hashing balancer given a KEYED request", () => {
  // Host sets change (membership and weights: each set its own table and memo, sets seen again reuse
  // theirs), keys come in any order, repeated; the keyed pick must equal the pick of the words.
  for (const [name, factory, wide] of POLICIES) {
    fcTest.prop(
      [
        fc.array(
          fc.record({
            present: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }),
            keys: fc.array(fc.integer({ min: 0, max: 499 }), { minLength: 1, maxLength: 40 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
      ],
      { numRuns: 40 },
    )(`${name}: picks the host of the key's hash words`, (versions, weights) => {
      const make = factory();
      const keys = userIds(500);
      const rng = new RandomStreams(1).get("test");
      for (const { present, keys: drawn } of versions) {
        const hosts = hostsOf(present, weights);
        // Two proxies' balancers over the same hosts share the table, and so the memo.
        const memoised = make(hosts);
        const plain = make(hosts);
        for (const k of drawn) {
          const words = wide
            ? { hash: keys.hashLow(k), hashHigh: keys.hashHigh(k) }
            : { hash: keys.murmur3(k), hashHigh: 0 };
          const expected = plain.pick(hosts, rng, { now: 0, ...words });
          expect(memoised.pick(hosts, rng, keyed(keys, k))).toBe(expected);
        }
      }
    });
  }
});

describe("a cluster given a KEYED request", () => {
  it("chooses the priority level by the key's whole 64-bit hash, as by its words", () => {
    const zones = ["a", "a", "b", "b"];
    const members: ClusterMember[] = zones.map((zone, index) => ({
      id: `svc-${index}`,
      index,
      zone,
      version: { weight: 1, labels: {} },
    }));
    const locality = localitySetting("/a");
    const cluster = new Cluster(members, null, createRandom(), null, null, locality);
    cluster.applyHostHealth(null, Uint8Array.of(1, 0, 0, 0), null, 50, 0); // P0 takes 70%
    const keys = userIds(300);
    const rng = new RandomStreams(3).get("test");
    const zoneOf = (request: PickRequest) => cluster.members[cluster.pick(rng, request)].zone;
    const seen = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const byWords = zoneOf({ now: 0, hash: keys.hashLow(k), hashHigh: keys.hashHigh(k) });
      expect(zoneOf(keyed(keys, k))).toBe(byWords);
      seen.add(byWords);
    }
    expect(seen).toEqual(new Set(["a", "b"]));
  });
});
