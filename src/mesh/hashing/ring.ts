// Karger/ketama hash ring as Envoy's RING_HASH builds it (ring_hash_lb.cc): with weights normalised to
// w, scale = min(ceil(min w · minimumRingSize) / min w, maximumRingSize); hosts in id order add points
// while a running count < Σ scale·w, point i of host `id` at murmur3(`${id}_${i}`). A key goes to the
// first point >= its hash, wrapping; equal point hashes go by host id. Leaves out xxHash64, retry offsets.

import { murmur3_32 } from "../../kernel/murmur3.ts";
import { type HashHost, idOrder } from "./hosts.ts";

export interface RingOptions {
  /** Envoy `minimum_ring_size`, at most 8,388,608 (Envoy's default: scenario/defaults.ts). */
  readonly minimumRingSize: number;
  /** Envoy `maximum_ring_size`, at most 8,388,608 (8M, also its default). */
  readonly maximumRingSize: number;
}

/** An immutable ring (by contract: typed arrays cannot be frozen). */
export interface Ring {
  /** Point hashes, ascending; equal hashes are ordered by host id (code-unit order). */
  readonly hashes: Uint32Array;
  /** Owner of each point: an index into the `hosts` given to `buildRing`. */
  readonly hosts: Int32Array;
  /** Points per host, by host index (Envoy reports their min and max as gauges). */
  readonly pointsPerHost: Int32Array;
}

/** Envoy's limit on both ring sizes. */
export const MAXIMUM_RING_SIZE = 8_388_608;
/** Points are sorted as one float key, hash · 2^21 + host rank, which stays exact below 2^53. */
const RANK_BITS = 21;
const RANK_SCALE = 2 ** RANK_BITS;

export function buildRing(hosts: readonly HashHost[], options: RingOptions): Ring {
  const min = options.minimumRingSize;
  const max = options.maximumRingSize;
  checkRingSizes(min, max);
  const order = idOrder(hosts, "ring hash");
  if (hosts.length > RANK_SCALE)
    throw new Error(`ring hash supports at most ${RANK_SCALE} hosts, got ${hosts.length}`);

  // Envoy normalises weight / sum and takes the smallest, then scales so that the lightest host
  // gets a whole number of points (ceil) unless that would pass the maximum ring size.
  // The float operations are Envoy's. Envoy walks its host-set order where meshsim walks id order,
  // which can move a fractional point between neighbours; with equal weights counts are equal anyway.
  const sum = hosts.reduce((s, h) => s + h.weight, 0);
  const normalized = hosts.map((h) => h.weight / sum);
  let minNormalized = 1;
  for (const w of normalized) minNormalized = Math.min(minNormalized, w);
  const scale = Math.min(Math.ceil(minNormalized * min) / minNormalized, max);

  // Running sums in id order: a host's count is the number of integers in [current, target).
  const pointsPerHost = new Int32Array(hosts.length);
  let current = 0;
  let target = 0;
  for (const index of order) {
    target += scale * normalized[index];
    const count = target > current ? Math.ceil(target) - current : 0;
    pointsPerHost[index] = count;
    current += count;
  }

  const keys = new Float64Array(current);
  let p = 0;
  for (let rank = 0; rank < order.length; rank++) {
    const index = order[rank];
    const id = hosts[index].id;
    for (let i = 0; i < pointsPerHost[index]; i++)
      keys[p++] = murmur3_32(`${id}_${i}`) * RANK_SCALE + rank;
  }
  keys.sort();

  const hashes = new Uint32Array(current);
  const owners = new Int32Array(current);
  for (let q = 0; q < current; q++) {
    const rank = keys[q] % RANK_SCALE;
    hashes[q] = (keys[q] - rank) / RANK_SCALE;
    owners[q] = order[rank];
  }
  return { hashes, hosts: owners, pointsPerHost };
}

/** Index of the point that serves `hash`: the first point hash >= `hash`, else point 0 (wrap). */
export function ringPosition(ring: Ring, hash: number): number {
  const hashes = ring.hashes;
  let lo = 0;
  let hi = hashes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hashes[mid] < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo === hashes.length ? 0 : lo;
}

/** The host (index into the hosts given to `buildRing`) that serves a 32-bit `hash`. */
export function ringLookup(ring: Ring, hash: number): number {
  return ring.hosts[ringPosition(ring, hash)];
}

/** Checks Envoy's limits: integers, 1 <= minimum <= maximum <= 8,388,608. */
export function checkRingSizes(min: number, max: number): void {
  for (const [name, value] of [
    ["minimumRingSize", min],
    ["maximumRingSize", max],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAXIMUM_RING_SIZE) {
      throw new Error(
        `ring hash ${name} must be an integer in [1, ${MAXIMUM_RING_SIZE}], got ${value}`,
      );
    }
  }
  if (min > max) throw new Error(`ring hash minimumRingSize (${min}) > maximumRingSize (${max})`);
}
