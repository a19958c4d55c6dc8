// Seeded random streams. One run seed; every component asks for its own stream by a stable
// label ("load/customers/arrivals"), so adding a component never shifts another's draws.
// Streams are seedrandom's `tychei` (about 6 ns a draw); the label is part of the seed string.
import seedrandom from "seedrandom";

/** A source of uniform draws in [0, 1). */
export interface Rng {
  next(): number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
}

class TycheiRng implements Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: string) {
    this.prng = seedrandom.tychei(seed);
  }
  next(): number {
    return this.prng();
  }
  nextUint32(): number {
    return this.prng.int32() >>> 0;
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
