// Trace and span ids from counters, in W3C Trace Context sizes: a 16-byte trace id made from the
// run's seed and the end-user request's id, an 8-byte span id from a per-run counter. Never drawn
// from the simulation's random streams, so tracing cannot perturb a run. Each 32-bit word of a
// trace id is a bijective mix (multiply by an odd constant, add a seed salt, MurmurHash3's fmix32)
// of the request id, so ids are distinct within a run and their low 56 bits look random, as the
// W3C "random" trace flag promises and OTel's TraceIdRatioBased sampler expects.
import { fmix32 } from "../../kernel/keyedDraws.ts";

/** A trace id as four big-endian 32-bit words (w0 is the first 8 hex digits). */
export class TraceId {
  constructor(
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
  ) {}

  /** The top 24 of the 56 "random" bits OTel samples on (the low 3 bytes of w2). */
  get randomHigh(): number {
    return this.w2 & 0xffffff;
  }

  /** The low 32 of the 56 "random" bits. */
  get randomLow(): number {
    return this.w3;
  }

  /** 32 lowercase hex digits, as OTLP/JSON writes trace ids. */
  get hex(): string {
    return hex8(this.w0) + hex8(this.w1) + hex8(this.w2) + hex8(this.w3);
  }
}

const MULTIPLIERS = [0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f] as const;
const SALTS = [0x6d657368, 0x73696d74, 0x72616365, 0x69647321] as const;

/**
 * Trace ids of one run: the seed's salts are worked out once. The tracer reads each request's 56
 * random bits (randomHighOf, randomLowOf) with no TraceId object; idOf makes the whole id for the
 * traces that are exported. The two words the random bits come from are mixed as int32s by this
 * module's own mix with each word's constants written out, so they inline into the tracer: through
 * `word` (the constants read from arrays by index, fmix32's unsigned result) neither was inlined,
 * and each returned a heap number for the words above 2^31 (docs/performance.md, session 10).
 */
export class TraceIdSource {
  private readonly salts: number[];
  /** salts[2] and salts[3] as int32s (the same bits). */
  private readonly salt2: number;
  private readonly salt3: number;

  constructor(seed: number) {
    const seedLow = seed >>> 0;
    const seedHigh = Math.floor(seed / 2 ** 32) >>> 0;
    this.salts = SALTS.map((salt, i) =>
      fmix32((seedLow ^ Math.imul(seedHigh, MULTIPLIERS[i]) ^ salt) >>> 0),
    );
    this.salt2 = this.salts[2] | 0;
    this.salt3 = this.salts[3] | 0;
  }

  /** idOf(requestId).randomHigh, without the id. */
  randomHighOf(requestId: number): number {
    return mix(Math.imul((requestId + 1) | 0, 0xc2b2ae35) + this.salt2) & 0xffffff;
  }

  /** idOf(requestId).randomLow, without the id, as an int32 (the same 32 bits; `>>> 0` reads it unsigned). */
  randomLowBitsOf(requestId: number): number {
    const w3 = mix(Math.imul((requestId + 1) | 0, 0x27d4eb2f) + this.salt3);
    // Only an all-zero id has its w3 replaced, and its w3 is 0.
    return w3 !== 0 ? w3 : this.idOf(requestId).w3 | 0;
  }

  /** idOf(requestId).randomLow, without the id. */
  randomLowOf(requestId: number): number {
    return this.randomLowBitsOf(requestId) >>> 0;
  }

  /** The trace id of request `requestId` (an integer below 2^32; distinct ids give distinct trace ids). */
  idOf(requestId: number): TraceId {
    const n = (requestId + 1) >>> 0;
    const w0 = this.word(n, 0);
    const w1 = this.word(n, 1);
    const w2 = this.word(n, 2);
    const w3 = this.word(n, 3);
    // W3C: an all-zero trace id is invalid.
    return new TraceId(w0, w1, w2, (w0 | w1 | w2 | w3) === 0 ? 1 : w3);
  }

  /** Word `i` of the id of the request numbered `n` (its id + 1): the bijective mix above. */
  private word(n: number, i: number): number {
    return fmix32((Math.imul(n, MULTIPLIERS[i]) + this.salts[i]) >>> 0);
  }
}

/** fmix32 of `h` (taken mod 2^32) as an int32: the same bits, never a heap number. */
function mix(h: number): number {
  h |= 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The trace id of request `requestId` in a run with `seed`. */
export function traceIdOf(seed: number, requestId: number): TraceId {
  return new TraceIdSource(seed).idOf(requestId);
}

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, "0");
}
