// Request keys, so hashing balancers and caches have something to work on: each end-user request
// of a load with `keys` carries one key, `<name>-<k>` for k in [0, count), drawn uniformly or by a
// Zipf law (P(k) ∝ 1/(k+1)^s, the popular-items skew of real traffic) from the request's keyed
// draws (so a comparison's variants see the same keys). The key's text is hashed once with
// murmur3, our fixed hash, and cached per key.
import { murmur3_32 } from "../kernel/murmur3.ts";
import type { KeySpec } from "./spec.ts";

export class KeySpace {
  /** Zipf: cumulative probabilities; uniform: null. */
  private readonly cdf: Float64Array | null;
  /** Zipf: guide[j] = the first k with cdf[k] > j / GUIDE_CELLS, to narrow each search. */
  private readonly guide: Int32Array | null;
  private readonly hashes: Uint32Array;
  private readonly hashed: Uint8Array;

  constructor(readonly spec: KeySpec) {
    this.cdf =
      spec.distribution.kind === "zipf" ? zipfCdf(spec.count, spec.distribution.exponent) : null;
    this.guide = this.cdf === null ? null : guideTable(this.cdf);
    this.hashes = new Uint32Array(spec.count);
    this.hashed = new Uint8Array(spec.count);
  }

  /** The key index for a uniform draw `u` in [0, 1). */
  index(u: number): number {
    const cdf = this.cdf;
    if (cdf === null) return Math.floor(u * this.spec.count);
    // The first k with cdf[k] > u, searched between the guide entries around u.
    const guide = this.guide!;
    const cell = Math.floor(u * GUIDE_CELLS);
    let lo = guide[cell];
    let hi = guide[cell + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  text(index: number): string {
    return `${this.spec.name}-${index}`;
  }

  hash(index: number): number {
    if (this.hashed[index] === 0) {
      this.hashes[index] = murmur3_32(this.text(index));
      this.hashed[index] = 1;
    }
    return this.hashes[index];
  }
}

const GUIDE_CELLS = 1 << 16;

function guideTable(cdf: Float64Array): Int32Array {
  const guide = new Int32Array(GUIDE_CELLS + 1);
  let k = 0;
  for (let j = 0; j <= GUIDE_CELLS; j++) {
    while (k < cdf.length - 1 && cdf[k] <= j / GUIDE_CELLS) k++;
    guide[j] = k;
  }
  return guide;
}

function zipfCdf(count: number, exponent: number): Float64Array {
  const cdf = new Float64Array(count);
  let total = 0;
  for (let k = 0; k < count; k++) {
    total += 1 / (k + 1) ** exponent;
    cdf[k] = total;
  }
  for (let k = 0; k < count; k++) cdf[k] /= total;
  cdf[count - 1] = 1;
  return cdf;
}
