// Latency histogram: HDR-style log bucketing read straight off the float's bits (exponent plus the
// top 7 mantissa bits, so 128 buckets per power of two). Quantiles are within 0.4% relative error
// (half a bucket, geometrically); count, sum, mean, min and max are exact. Records are binned in
// batches, in order, when anything reads the histogram or the batch is full: appending to a small
// buffer keeps the 51 KB of counts out of the simulation's cache (binning each record at once cost
// a twentieth of a checkout run in cache misses). It leaves out HDR's integer units,
// auto-resizing, coordinated-omission correction and concurrency; its serialization is a compact
// sparse list of bucket counts (toEncoded/fromEncoded) that merges exactly.
import type { EncodedHistogram } from "../result/histograms.ts";
import type { LatencySummary } from "../result/latency.ts";
import { roundSig } from "../result/round.ts";

/**
 * Smallest tracked value, 2^-20 ms (about 9.5e-7 ms). Anything below it, zero included, counts in
 * one underflow bucket, and a quantile landing there reports the exact min.
 */
export const HISTOGRAM_LOWEST_MS = 2 ** -20;
/**
 * Top of the tracked range, 2^30 ms (about 1.07e9 ms, 12.4 days). Larger values count in the last
 * bucket (a quantile landing there is at most the exact max); `max` itself stays exact.
 */
export const HISTOGRAM_HIGHEST_MS = 2 ** 30;

const SUB_BUCKET_BITS = 7;
/** High word >>> this keeps 11 exponent bits and the top 7 mantissa bits (sign is 0 for x >= 0). */
const KEY_SHIFT = 20 - SUB_BUCKET_BITS;
const EXPONENT_BIAS = 1023;
const LOWEST_KEY = (EXPONENT_BIAS - 20) << SUB_BUCKET_BITS;
const HIGHEST_KEY = (EXPONENT_BIAS + 30) << SUB_BUCKET_BITS;
/** Slot 0 is underflow; slots 1..6400 are 50 octaves x 128 sub-buckets, the last also overflow. */
const SLOTS = 1 + HIGHEST_KEY - LOWEST_KEY;

// Shared scratch: writing a double and reading the high 32 bits costs no allocation.
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error(
    "LatencyHistogram reads float bits as little-endian; this platform is big-endian",
  );
}

/**
 * The error for a latency `record` refuses, built out of line: with the message's template literal
 * inside `record`, TurboFan (Node 20) turned `value` into a string on every record, not only on
 * the throw, once `record` was inlined into its callers; each string lived on in V8's
 * number-to-string cache past two scavenges, so a run filled its old generation with about 1.4 MB
 * of them per scavenge (docs/performance.md, 2026-12-07 session 8).
 */
function invalidLatency(value: number): RangeError {
  return new RangeError(`latency must be a non-negative finite number, got ${value}`);
}

/** Built out of line: see lint/no-inline-error-text.grit. */
function invalidQuantile(q: number): RangeError {
  return new RangeError(`quantile must be in [0, 1], got ${q}`);
}

/** Slot for a validated value in [0, MAX_VALUE]. */
function slotOf(value: number): number {
  if (value < HISTOGRAM_LOWEST_MS) return 0;
  scratchF64[0] = value;
  const key = scratchU32[1] >>> KEY_SHIFT;
  return key >= HIGHEST_KEY ? SLOTS - 1 : key - LOWEST_KEY + 1;
}

/** The smallest double whose key is `key` (a bucket's lower bound). */
function lowerBoundOfKey(key: number): number {
  scratchU32[0] = 0;
  scratchU32[1] = key << KEY_SHIFT;
  return scratchF64[0];
}

/** Geometric midpoint of slot >= 1: at most sqrt(1 + 1/128) - 1 ≈ 0.39% from any value in it. */
function midpointOfSlot(slot: number): number {
  const key = LOWEST_KEY + slot - 1;
  return Math.sqrt(lowerBoundOfKey(key) * lowerBoundOfKey(key + 1));
}

/** Appends `value` (a whole number below 2^53) as an unsigned LEB128 varint, by arithmetic, not 32-bit shifts. */
function pushVarint(bytes: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) + 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
}

/** Records held before they are binned. */
const BATCH = 512;

/**
 * Records non-negative finite latencies (ms). Counts live in a Float64Array of 6401 slots (51 KB),
 * exact to 2^53 records. An empty histogram reports 0 for every statistic and quantile.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(SLOTS);
  private total = 0;
  private sumMs = 0;
  private minMs = Infinity;
  /** Starts at 0, not -Infinity: values are >= 0, and this keeps a recorded -0 out of max. */
  private maxMs = 0;
  /** Records not binned yet, in recording order. */
  private readonly unbinned = new Float64Array(BATCH);
  private unbinnedCount = 0;

  /** Hot path: no allocation, no logarithm. Throws on negative, NaN or infinite values. */
  record(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_VALUE)) throw invalidLatency(value);
    if (this.unbinnedCount === BATCH) this.bin();
    this.unbinned[this.unbinnedCount++] = value;
  }

  get count(): number {
    return this.total + this.unbinnedCount;
  }

  /** Sum of recorded values, added in recording order (merges add another sum in one addition). */
  get sum(): number {
    this.bin();
    return this.sumMs;
  }

  get mean(): number {
    this.bin();
    return this.total === 0 ? 0 : this.sumMs / this.total;
  }

  get min(): number {
    this.bin();
    return this.total === 0 ? 0 : this.minMs;
  }

  get max(): number {
    this.bin();
    return this.total === 0 ? 0 : this.maxMs;
  }

  /**
   * The value of rank max(1, ceil(q * count)) in sorted order, estimated as its bucket's geometric
   * midpoint clamped to [min, max]. q = 0 gives the exact min, q = 1 the exact max.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw invalidQuantile(q);
    this.bin();
    if (this.total === 0) return 0;
    if (q === 0) return this.minMs;
    if (q === 1) return this.maxMs;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    const last = slotOf(this.maxMs);
    for (let slot = slotOf(this.minMs); slot <= last; slot++) {
      seen += this.counts[slot];
      if (seen >= rank) return slot === 0 ? this.minMs : this.clamp(midpointOfSlot(slot));
    }
    return this.maxMs; // unreachable while counts sum to total
  }

  /** Adds `other`'s records to this one. Both share one bucket layout, so this is exact. */
  merge(other: LatencyHistogram): void {
    this.bin();
    other.bin();
    if (other.total === 0) return;
    const mine = this.counts;
    const theirs = other.counts;
    // Only the slots between the other's min and max can hold counts.
    const last = slotOf(other.maxMs);
    for (let slot = slotOf(other.minMs); slot <= last; slot++) mine[slot] += theirs[slot];
    this.total += other.total;
    this.sumMs += other.sumMs;
    if (other.minMs < this.minMs) this.minMs = other.minMs;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  summary(): LatencySummary {
    return {
      mean: roundSig(this.mean),
      p50: roundSig(this.quantile(0.5)),
      p90: roundSig(this.quantile(0.9)),
      p99: roundSig(this.quantile(0.99)),
      p999: roundSig(this.quantile(0.999)),
      max: roundSig(this.max),
    };
  }

  /** The histogram as plain data; fromEncoded gives back one with the same statistics and merges. */
  toEncoded(): EncodedHistogram {
    this.bin();
    const bytes: number[] = [];
    let first = 0;
    let previous = -1;
    if (this.total > 0) {
      first = slotOf(this.minMs);
      const last = slotOf(this.maxMs);
      previous = first - 1;
      for (let slot = first; slot <= last; slot++) {
        const count = this.counts[slot];
        if (count === 0) continue;
        pushVarint(bytes, slot - previous - 1);
        pushVarint(bytes, count);
        previous = slot;
      }
    }
    return {
      layout: "log2-128",
      count: this.total,
      sum: this.sumMs,
      min: this.total === 0 ? 0 : this.minMs,
      max: this.maxMs,
      first,
      counts: Buffer.from(bytes).toString("base64"),
    };
  }

  static fromEncoded(encoded: EncodedHistogram): LatencyHistogram {
    if (encoded.layout !== "log2-128")
      throw new Error(`unknown histogram layout ${JSON.stringify(encoded.layout)}`);
    const histogram = new LatencyHistogram();
    const bytes = Buffer.from(encoded.counts, "base64");
    let at = 0;
    let slot = encoded.first - 1;
    let total = 0;
    const next = (): number => {
      let value = 0;
      let scale = 1;
      for (;;) {
        if (at >= bytes.length) throw new Error("truncated histogram encoding");
        const byte = bytes[at++];
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 128;
      }
    };
    while (at < bytes.length) {
      slot += next() + 1;
      const count = next();
      if (slot < 0 || slot >= SLOTS) throw new Error(`histogram bucket ${slot} out of range`);
      histogram.counts[slot] = count;
      total += count;
    }
    if (total !== encoded.count)
      throw new Error(`histogram counts add up to ${total}, not ${encoded.count}`);
    histogram.total = encoded.count;
    histogram.sumMs = encoded.sum;
    histogram.minMs = encoded.count === 0 ? Infinity : encoded.min;
    histogram.maxMs = encoded.max;
    return histogram;
  }

  reset(): void {
    this.unbinnedCount = 0;
    if (this.total > 0) this.counts.fill(0, slotOf(this.minMs), slotOf(this.maxMs) + 1);
    this.total = 0;
    this.sumMs = 0;
    this.minMs = Infinity;
    this.maxMs = 0;
  }

  /** Bins the records held, in the order they were recorded (so the sum is the same). */
  private bin(): void {
    const n = this.unbinnedCount;
    if (n === 0) return;
    const values = this.unbinned;
    const counts = this.counts;
    let sum = this.sumMs;
    let min = this.minMs;
    let max = this.maxMs;
    for (let i = 0; i < n; i++) {
      const value = values[i];
      counts[slotOf(value)]++;
      sum += value;
      if (value < min) min = value + 0; // + 0 turns -0 into 0
      if (value > max) max = value;
    }
    this.total += n;
    this.sumMs = sum;
    this.minMs = min;
    this.maxMs = max;
    this.unbinnedCount = 0;
  }

  private clamp(x: number): number {
    return x < this.minMs ? this.minMs : x > this.maxMs ? this.maxMs : x;
  }
}
