// Counter-based draws keyed by (request seed, call site, purpose): every random decision made on
// behalf of one end-user request (a service time, an error, a branch, a network delay) comes from
// its own short sequence. The k-th request therefore sees the same draws in every variant of a
// comparison, whatever order requests reach a service in (common random numbers). The request
// seeds themselves come from a seeded stream; the generator is sfc32 seeded through murmur3's fmix.
import type { Rng } from "./random.ts";

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Combines a parent call site with a child's salt into the child's site id, as an int32: sites only
 * key draws, where they are used as int32. (V8's small integers are 31-bit here, so a uint32 is a
 * heap number three times in four, an int32 one time in two.)
 */
export function childSite(parent: number, salt: number): number {
  return fmix32((Math.imul(parent, 0x9e3779b1) + salt) | 0) | 0;
}

/** What keys a call's draws: its end-user request's two seeds and its call site (int32s). */
export interface KeyedSite {
  readonly request: { readonly seedA: number; readonly seedB: number };
  readonly site: number;
}

/**
 * One reusable generator; `begin` re-keys it, so hot paths allocate nothing. The sequence `begin`
 * returns is therefore only good until the next `begin`: a reference held over would silently
 * continue another key's sequence. Built `checked` (tests), each `begin` hands out a fresh view that
 * throws when it is used after a later `begin`, as the scheduler's handles carry a sequence number.
 */
export class KeyedDraws implements Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Sequences begun so far (counted only when checked). */
  private generation = 0;

  constructor(private readonly checked = false) {}

  /**
   * `begin` for a call's own draws: its request's seeds at its site. The words are read here, not
   * passed: a seed or site is an int32, which V8 boxes into a new heap number half the time when it
   * is passed as an argument to a call it did not inline (its small integers are 31-bit).
   */
  beginFor(call: KeyedSite, purpose: number): Rng {
    const request = call.request;
    return this.begin(request.seedA, request.seedB, call.site, purpose);
  }

  /** Starts the sequence for (seedA, seedB) at `site` for `purpose`, and returns it (each taken as an int32). */
  begin(seedA: number, seedB: number, site: number, purpose: number): Rng {
    // The key (site, purpose) is mixed into three of the four words, so two rounds are enough to
    // spread it (sfc32's own seeding uses 12 rounds because it starts from raw seed words).
    const key = fmix32(site ^ Math.imul(purpose + 1, 0x27d4eb2f));
    let a = fmix32(seedA ^ key) | 0;
    let b = (seedB + key) | 0;
    let c = key | 0;
    let d = 1;
    // Two rounds of `step` on locals, its output discarded: a third of the bytecode of two calls
    // of `step` inlined, which leaves V8's inlining budget room for the draws that follow a
    // `begin` in the same function (a leg's second lognormal draw was not inlined, so its uniform
    // and its normal quantile came back as new heap numbers).
    for (let round = 0; round < 2; round++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    if (!this.checked) return this;
    return new CheckedSequence(this, ++this.generation, site, purpose);
  }

  /** Whether `generation` is the sequence begun last (for checked views). */
  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }

  next(): number {
    return this.step() / 4294967296;
  }

  nextUint32(): number {
    return this.step();
  }

  private step(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/** The sequence one checked `begin` handed out: it draws from the shared generator while it is the latest. */
class CheckedSequence implements Rng {
  constructor(
    private readonly draws: KeyedDraws,
    private readonly generation: number,
    private readonly site: number,
    private readonly purpose: number,
  ) {}

  next(): number {
    this.check();
    return this.draws.next();
  }

  nextUint32(): number {
    this.check();
    return this.draws.nextUint32();
  }

  private check(): void {
    if (!this.draws.isCurrent(this.generation)) throw staleSequence(this.site, this.purpose);
  }
}

/** Built out of line: see lint/no-inline-error-text.grit. */
function staleSequence(site: number, purpose: number): Error {
  return new Error(
    `a keyed draw sequence (site ${site}, purpose ${purpose}) was used after a later begin(): it is shared, so take its draws before beginning another`,
  );
}

/** What a keyed draw is for; part of the key so one purpose never reuses another's numbers. */
export const Purpose = {
  serviceTime: 1,
  error: 2,
  branch: 3,
  /** A request leg's network delay: hop latency, then any cross-zone extra. */
  networkOut: 4,
  /** A response leg's network delay, likewise. */
  networkBack: 5,
  thinkTime: 6,
  key: 9,
  route: 10,
  attribute: 11,
  /** Whether a fault rule (delay, abort) applies to a call, and its delay. */
  fault: 12,
  /** A retry's back-off jitter. */
  backoff: 13,
} as const;
