// The reference simulator's ring hash, Envoy's RING_HASH construction for equal weights (as meshsim
// builds it): scale = ceil(w · minimumRingSize) / w with w = 1/hosts, hosts in id order add points
// while a running count < Σ scale · w, point i of host `id` hashed as murmur3(`${id}_${i}`), points
// sorted by hash then host; a key goes to the first point at or after its hash, wrapping.
import { murmur3Ascii } from "./random.ts";

const MINIMUM_RING_SIZE = 1024;

export class Ring {
  private readonly hashes: Uint32Array;
  private readonly owners: Int32Array;

  /** `ids` in index order; the ring walks them in id order. */
  constructor(ids: readonly string[]) {
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : 1));
    const w = 1 / ids.length;
    const scale = Math.ceil(w * MINIMUM_RING_SIZE) / w;
    const points: { hash: number; rank: number }[] = [];
    let current = 0;
    let target = 0;
    order.forEach((index, rank) => {
      target += scale * w;
      const count = target > current ? Math.ceil(target) - current : 0;
      for (let i = 0; i < count; i++)
        points.push({ hash: murmur3Ascii(`${ids[index]}_${i}`), rank });
      current += count;
    });
    points.sort((a, b) => a.hash - b.hash || a.rank - b.rank);
    this.hashes = Uint32Array.from(points, (p) => p.hash);
    this.owners = Int32Array.from(points, (p) => order[p.rank]);
  }

  /** The host index that serves a 32-bit key hash. */
  lookup(hash: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === hashes.length ? 0 : lo];
  }
}
