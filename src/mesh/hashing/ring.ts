// Karger/ketama hash ring as Envoy's RING_HASH builds it (ring_hash_lb.cc): with weights normalised to
// w, scale = min(ceil(min w · minimumRingSize) / min w, maximumRingSize); hosts add points while a
// running count < Σ scale·w, point i of host key k at hash(`${k}_${i}`), 64-bit xxHash64 by default
// (or MURMUR_HASH_2). A key goes to the first point >= its hash, wrapping; equal point hashes go by
// host key. Leaves out retry attempts' point offsets.
import { type HashFunction, hashWords } from "./hashFunction.ts";
import { type HashHost, idOrder } from "./hosts.ts";

export interface RingOptions {
  /** Envoy `minimum_ring_size`, at most 8,388,608 (Envoy's default: scenario/defaults.ts). */
  readonly minimumRingSize: number;
  /** Envoy `maximum_ring_size`, at most 8,388,608 (8M, also its default). */
  readonly maximumRingSize: number;
  /** Envoy `hash_function` for the points: XX_HASH (Envoy's default), MURMUR_HASH_2, or meshsim's MURMUR3_32. */
  readonly hashFunction: HashFunction;
}

/** An immutable ring (by contract: typed arrays cannot be frozen). */
export interface Ring {
  /** High and low words of the point hashes, ascending; equal hashes are ordered by host key. */
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  /** Owner of each point: an index into the `hosts` given to `buildRing`. */
  readonly hosts: Int32Array;
  /** Points per host, by host index (Envoy reports their min and max as gauges). */
  readonly pointsPerHost: Int32Array;
}

/** Envoy's limit on both ring sizes. */
export const MAXIMUM_RING_SIZE = 8_388_608;

export function buildRing(hosts: readonly HashHost[], options: RingOptions): Ring {
  const min = options.minimumRingSize;
  const max = options.maximumRingSize;
  const fn = options.hashFunction;
  checkRingSizes(min, max);
  const order = idOrder(hosts, "ring hash");
  const pointsPerHost = pointCounts(hosts, order, min, max);

  // Point p of the ring, before sorting: rank[p] is its host's place in key order.
  let total = 0;
  for (let i = 0; i < pointsPerHost.length; i++) total += pointsPerHost[i];
  const high = new Uint32Array(total);
  const low = new Uint32Array(total);
  const rank = new Int32Array(total);
  const words = new Uint32Array(2);
  let p = 0;
  for (let r = 0; r < order.length; r++) {
    const key = hosts[order[r]].id;
    for (let i = 0; i < pointsPerHost[order[r]]; i++, p++) {
      hashWords(fn, `${key}_${i}`, words);
      high[p] = words[0];
      low[p] = words[1];
      rank[p] = r;
    }
  }
  // Envoy sorts by hash alone (std::sort); ties, which 64-bit hashes all but never produce, go by key.
  const sorted = sortByHash(high, low);
  const ring = {
    high: new Uint32Array(total),
    low: new Uint32Array(total),
    hosts: new Int32Array(total),
    pointsPerHost,
  };
  for (let q = 0; q < total; q++) {
    const s = sorted[q];
    ring.high[q] = high[s];
    ring.low[q] = low[s];
    ring.hosts[q] = order[rank[s]];
  }
  return ring;
}

/**
 * Point indices in ascending (high, low) order, equal hashes in index order: an LSD radix sort on
 * bytes, stable, so points made in key order stay in key order on ties. Bytes whose value is the
 * same for every point (all of `high` for MURMUR3_32) are skipped.
 */
function sortByHash(high: Uint32Array, low: Uint32Array): Int32Array {
  const n = high.length;
  let order = Int32Array.from({ length: n }, (_, i) => i);
  let next = new Int32Array(n);
  const counts = new Int32Array(256);
  for (const words of [low, high]) {
    for (let shift = 0; shift < 32; shift += 8) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(words[i] >>> shift) & 0xff]++;
      if (n === 0 || counts[(words[0] >>> shift) & 0xff] === n) continue;
      let sum = 0;
      for (let d = 0; d < 256; d++) {
        const c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const point = order[i];
        next[counts[(words[point] >>> shift) & 0xff]++] = point;
      }
      [order, next] = [next, order];
    }
  }
  return order;
}

/**
 * Points per host (by host index). Envoy normalises weight / sum and takes the smallest, then
 * scales so that the lightest host gets a whole number of points (ceil) unless that would pass the
 * maximum ring size; a host's count is the number of integers in [current, target) of the running
 * sums. The float operations are Envoy's. Envoy walks its host-set order where meshsim walks key
 * order, which can move a fractional point between neighbours; with equal weights counts are equal.
 */
function pointCounts(
  hosts: readonly HashHost[],
  order: readonly number[],
  min: number,
  max: number,
): Int32Array {
  const sum = hosts.reduce((s, h) => s + h.weight, 0);
  const normalized = hosts.map((h) => h.weight / sum);
  let minNormalized = 1;
  for (const w of normalized) minNormalized = Math.min(minNormalized, w);
  const scale = Math.min(Math.ceil(minNormalized * min) / minNormalized, max);
  const counts = new Int32Array(hosts.length);
  let current = 0;
  let target = 0;
  for (const index of order) {
    target += scale * normalized[index];
    const count = target > current ? Math.ceil(target) - current : 0;
    counts[index] = count;
    current += count;
  }
  return counts;
}

/**
 * Index of the point that serves the 64-bit hash (high, low): the first point >= it, else point 0
 * (wrap). Envoy's ketama binary search (ring_hash_lb.cc, chooseHost) finds the same point.
 */
export function ringPosition(ring: Ring, high: number, low: number): number {
  const hs = ring.high;
  const ls = ring.low;
  let lo = 0;
  let hi = hs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hs[mid] < high || (hs[mid] === high && ls[mid] < low)) lo = mid + 1;
    else hi = mid;
  }
  return lo === hs.length ? 0 : lo;
}

/** The host (index into the hosts given to `buildRing`) that serves the hash (high, low). */
export function ringLookup(ring: Ring, high: number, low: number): number {
  return ring.hosts[ringPosition(ring, high, low)];
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
