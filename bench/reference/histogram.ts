// The reference simulator's latency histogram, HDR-style (Gil Tene's HdrHistogram layout): a
// value in integer units of 2^-20 ms (about 1 ns) is bucketed by its highest set bit and the 7 bits
// below it, so 128 linear sub-buckets per power of two and quantiles within 0.4% (the bucket's
// midpoint). Count, sum, min and max are exact. Values from 2^12 ms (about 4 s) up share the top
// bucket; nothing in the governed chain comes near.

const UNITS_PER_MS = 2 ** 20;
const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS; // 128
/** Indices: v < 256 are exact; above, (exponent - 7) * 128 + (v >>> (exponent - 7)). */
const SLOTS = (32 - SUB_BITS) * SUB_COUNT + 2 * SUB_COUNT;
const TOP = 2 ** 32 - 1;

function slotOf(units: number): number {
  if (units < 2 * SUB_COUNT) return units;
  const shift = 31 - Math.clz32(units) - SUB_BITS;
  return shift * SUB_COUNT + (units >>> shift);
}

/** The smallest unit value of a slot. */
function lowOf(slot: number): number {
  if (slot < 2 * SUB_COUNT) return slot;
  const shift = Math.floor(slot / SUB_COUNT) - 1;
  return (slot - shift * SUB_COUNT) * 2 ** shift;
}

export class Histogram {
  private readonly counts = new Float64Array(SLOTS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  record(ms: number): void {
    const units = ms * UNITS_PER_MS;
    this.counts[slotOf(units < TOP ? units >>> 0 : TOP)]++;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** The value of rank ceil(q · count), as its bucket's midpoint clamped to [min, max]. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      seen += this.counts[slot];
      if (seen < rank) continue;
      if (slot === 0) return this.min;
      const mid = (lowOf(slot) + lowOf(slot + 1)) / 2 / UNITS_PER_MS;
      return Math.min(this.max, Math.max(this.min, mid));
    }
    return this.max;
  }

  summary(): { mean: number; p50: number; p90: number; p99: number; p999: number; max: number } {
    return {
      mean: this.mean,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.max,
    };
  }
}
