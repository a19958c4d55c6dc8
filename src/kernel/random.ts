// Seeded random streams. One run seed; every component asks for its own stream by a stable
// label ("load/customers/arrivals"), so adding a component never shifts another's draws.
// Streams are seedrandom's `tychei` (about 3 ns a draw); the label is part of the seed string.
import seedrandom from "seedrandom";

/** A source of uniform draws in [0, 1). */
export interface Rng {
  next(): number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
}

/**
 * seedrandom's `tychei`, stepped here: seedrandom seeds it (from the label string) and hands over
 * its state, and `step` is its `next` line for line, so the numbers are seedrandom's. Calling
 * through seedrandom's per-stream closures kept V8 from inlining the draws (a P2C pick makes two).
 */
class TycheiRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    const state = seedrandom.tychei(seed, { state: true }).state();
    this.a = state.a;
    this.b = state.b;
    this.c = state.c;
    this.d = state.d;
  }
  next(): number {
    return (this.step() >>> 0) / 0x100000000;
  }
  nextUint32(): number {
    return this.step() >>> 0;
  }
  private step(): number {
    let b = this.b;
    let c = this.c;
    let d = this.d;
    let a = this.a;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    this.b = b = (b << 20) ^ (b >>> 12) ^ c;
    this.c = c = (c - d) | 0;
    this.d = (d << 16) ^ (c >>> 16) ^ a;
    return (this.a = (a - b) | 0);
  }
}

/** Derives independent streams from one run seed and stable labels. */
export class RandomStreams {
  private readonly issued = new Set<string>();
  constructor(readonly seed: number) {}

  /** The stream for `label`. Each label may be taken once: two owners of one stream would couple. */
  get(label: string): Rng {
    if (this.issued.has(label)) throw new Error(`random stream "${label}" was already taken`);
    this.issued.add(label);
    return new TycheiRng(`meshsim/${this.seed}/${label}`);
  }
}
