// MT19937, the 32-bit Mersenne Twister (Matsumoto & Nishimura 1998) as C++'s std::mt19937 defines
// it, seeded from one 32-bit value (seed(value) keeps value mod 2^32): the generator Envoy's bounded
// load seeds with a request's hash to shuffle the other hosts. Only for that exact reproduction:
// simulation randomness comes from kernel/random.ts.

const N = 624;
const M = 397;

export class Mt19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  /** Restarts the sequence from `seed` (its low 32 bits), as std::mt19937::seed does. */
  seed(seed: number): this {
    const s = this.state;
    s[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      s[i] = (Math.imul(s[i - 1] ^ (s[i - 1] >>> 30), 1812433253) + i) >>> 0;
    }
    this.index = N;
    return this;
  }

  /** The next output, a uint32. */
  next(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % N] & 0x7fffffff);
      s[i] = s[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}
