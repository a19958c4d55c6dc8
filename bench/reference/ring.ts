// The reference simulator's ring hash, Envoy's RING_HASH construction for equal weights (as meshsim
// builds it): scale = ceil(w · minimumRingSize) / w with w = 1/hosts, hosts in id order add points
// while a running count < Σ scale · w, point i of host `id` hashed as xxHash64(`${id}_${i}`) (Envoy's
// default hash_function, XX_HASH), points sorted by hash then host; a key (its xxHash64, as Envoy's
// header hash policy hashes it) goes to the first point at or after its hash, wrapping. Hashes are
// 64-bit, kept as two 32-bit words. xxHash64 itself is xxhash-wasm's (the library meshsim uses).
import xxhash from "xxhash-wasm";

const MINIMUM_RING_SIZE = 1024;

// Instantiating the WebAssembly module is asynchronous, once per process.
const { h64 } = await xxhash();

/** xxHash64 (seed 0) of `text`'s UTF-8 bytes into out[0] (high word) and out[1] (low word). */
export function xxHash64Words(text: string, out: Uint32Array): void {
  const hash = h64(text, 0n);
  out[0] = Number(hash >> 32n);
  out[1] = Number(hash & 0xffffffffn);
}

export class Ring {
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  private readonly owners: Int32Array;

  /** `ids` in index order; the ring walks them in id order. */
  constructor(ids: readonly string[]) {
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : 1));
    const w = 1 / ids.length;
    const scale = Math.ceil(w * MINIMUM_RING_SIZE) / w;
    const points: { high: number; low: number; rank: number }[] = [];
    const words = new Uint32Array(2);
    let current = 0;
    let target = 0;
    order.forEach((index, rank) => {
      target += scale * w;
      const count = target > current ? Math.ceil(target) - current : 0;
      for (let i = 0; i < count; i++) {
        xxHash64Words(`${ids[index]}_${i}`, words);
        points.push({ high: words[0], low: words[1], rank });
      }
      current += count;
    });
    points.sort((a, b) => a.high - b.high || a.low - b.low || a.rank - b.rank);
    this.high = Uint32Array.from(points, (p) => p.high);
    this.low = Uint32Array.from(points, (p) => p.low);
    this.owners = Int32Array.from(points, (p) => order[p.rank]);
  }

  /** The host index that serves the 64-bit key hash (high, low). */
  lookup(high: number, low: number): number {
    const hs = this.high;
    const ls = this.low;
    let lo = 0;
    let hi = hs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hs[mid] < high || (hs[mid] === high && ls[mid] < low)) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === hs.length ? 0 : lo];
  }
}
