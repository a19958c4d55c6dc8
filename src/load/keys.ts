// Request keys, so hashing balancers and caches have something to work on: each end-user request
// of a load with `keys` carries one key, `<name>-<k>` for k in [0, count), drawn uniformly or by a
// Zipf law (P(k) ∝ 1/(k+1)^s, the popular-items skew of real traffic) from the request's keyed
// draws (so a comparison's variants see the same keys). The key's text is hashed once per key and
// cached: with xxHash64, as an Envoy hash policy hashes a header's value, and with 32-bit murmur3
// for tables built with meshsim's former MURMUR3_32. The cache is typed arrays up to DENSE_KEYS
// keys, a map of the keys drawn beyond, so a huge key space costs memory for the keys seen.
// A dense key's three hash words sit side by side (12 bytes, mostly in one cache line), beside a
// byte of flags saying which of its two hashes is known: keys are drawn at random from spaces of
// 10^5 and more, and an array per word cost a cache miss each per request. Each hash is computed
// the first time it is asked for (a run whose tables hash with xxHash64 never runs murmur3).
import { murmur3_32 } from "../kernel/murmur3.ts";
import { xxHash64Words } from "../kernel/xxhash64.ts";
import type { KeySpec } from "./spec.ts";

export class KeySpace {
  /** Zipf: cumulative probabilities; uniform: null. */
  private readonly cdf: Float64Array | null;
  /** Zipf: guide[j] = the first k with cdf[k] > j / GUIDE_CELLS, to narrow each search. */
  private readonly guide: Int32Array | null;
  /** Per key (dense), at 3 * index: xxHash64 high and low words, and murmur3; valid where `hashed` has XX or MURMUR3 set. */
  private readonly dense: Uint32Array | null;
  private readonly hashed: Uint8Array | null;
  /** Past DENSE_KEYS: the same three words per key drawn. */
  private readonly sparse: Map<number, Uint32Array> | null;
  private readonly words = new Uint32Array(2);

  /** How many keys there are (the spec's count). */
  get count(): number {
    return this.spec.count;
  }
  constructor(readonly spec: KeySpec) {
    this.cdf =
      spec.distribution.kind === "zipf" ? zipfCdf(spec.count, spec.distribution.exponent) : null;
    this.guide = this.cdf === null ? null : guideTable(this.cdf);
    const dense = spec.count <= DENSE_KEYS;
    this.dense = dense ? new Uint32Array(spec.count * WORDS) : null;
    this.hashed = dense ? new Uint8Array(spec.count) : null;
    this.sparse = dense ? null : new Map();
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

  /** High word of the xxHash64 of key `index`'s text. */
  hashHigh(index: number): number {
    const dense = this.dense;
    if (dense === null) return this.sparseWords(index)[0];
    const at = index * WORDS;
    if ((this.hashed![index] & XX) === 0) this.hashXx(index, at);
    return dense[at];
  }

  /** Low word of the xxHash64 of key `index`'s text. */
  hashLow(index: number): number {
    const dense = this.dense;
    if (dense === null) return this.sparseWords(index)[1];
    const at = index * WORDS;
    if ((this.hashed![index] & XX) === 0) this.hashXx(index, at);
    return dense[at + 1];
  }

  /** 32-bit murmur3 of key `index`'s text. */
  murmur3(index: number): number {
    const dense = this.dense;
    if (dense === null) return this.sparseWords(index)[2];
    const at = index * WORDS;
    if ((this.hashed![index] & MURMUR3) === 0) {
      dense[at + 2] = murmur3_32(this.text(index));
      this.hashed![index] |= MURMUR3;
    }
    return dense[at + 2];
  }

  private hashXx(index: number, at: number): void {
    const dense = this.dense!;
    xxHash64Words(this.text(index), this.words);
    dense[at] = this.words[0];
    dense[at + 1] = this.words[1];
    this.hashed![index] |= XX;
  }

  private sparseWords(index: number): Uint32Array {
    const sparse = this.sparse!;
    let words = sparse.get(index);
    if (words === undefined) {
      const text = this.text(index);
      words = new Uint32Array(3);
      xxHash64Words(text, words);
      words[2] = murmur3_32(text);
      sparse.set(index, words);
    }
    return words;
  }
}

/** Up to this many keys (13 bytes each: 52 MiB) the hash cache is allocated with the load. */
export const DENSE_KEYS = 1 << 22;

/** A dense key's words: xxHash64 high, low, and murmur3. */
const WORDS = 3;
/** A dense key's flags: which of its hashes are known. */
const XX = 1;
const MURMUR3 = 2;

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
