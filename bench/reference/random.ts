// The reference simulator's randomness and hashing, written for it (no meshsim code): sfc32 streams
// (Doty-Humphrey's Small Fast Counting generator) seeded by splitmix32 from the run seed and a
// stream number, one sequential stream per purpose, as a hand-written simulator draws them; and
// MurmurHash3's finaliser (Appleby's public-domain mix), for the tracing ids. The ring's and the
// keys' hash, xxHash64, is ring.ts's.

/** splitmix32's output function: a bijective mix of a 32-bit word. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** One uniform stream: sfc32, 128 bits of state, period at least 2^32. */
export class Stream {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, stream: number) {
    let s = (Math.imul(seed, 0x9e3779b9) + Math.imul(stream + 1, 0x85ebca6b)) | 0;
    this.a = mix32((s = (s + 0x9e3779b9) | 0));
    this.b = mix32((s = (s + 0x9e3779b9) | 0));
    this.c = mix32((s + 0x9e3779b9) | 0);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + t;
    this.c |= 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Exponential with this mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/** MurmurHash3's finaliser, unsigned. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
