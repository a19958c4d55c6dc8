// The distribution of orders' inconsistency windows, kept as log-spaced bucket counts (1% wide, as
// the run's latency histograms) that also allow a value to be taken out again: an order's window
// grows with each late effect, so its old value is removed and the new one added, and the
// distribution is exact at any moment without keeping a list of every order.

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Windows below 1 µs fall in bucket 0 (a single effect: no window at all). */
const FLOOR_MS = 0.001;

export class WindowDistribution {
  /** Count per bucket index (about 2,800 buckets span 1 µs to 10^6 s), grown as needed. */
  private counts: number[] = [];
  private total = 0;
  private largest = 0;

  add(ms: number): void {
    this.put(bucketOf(ms));
    this.total++;
    if (ms > this.largest) this.largest = ms;
  }

  /**
   * Moves one order's window to `ms`: out of bucket `from` (-1: a new order), into its new bucket,
   * which it returns for the next move. A move within one bucket costs no map update.
   */
  move(from: number, ms: number): number {
    const to = bucketOf(ms);
    if (ms > this.largest) this.largest = ms;
    if (to === from) return to;
    if (from >= 0) this.take(from);
    else this.total++;
    this.put(to);
    return to;
  }

  private put(b: number): void {
    const counts = this.counts;
    while (counts.length <= b) counts.push(0);
    counts[b]++;
  }

  private take(b: number): void {
    if (!(this.counts[b] > 0)) throw emptyBucket(b);
    this.counts[b]--;
  }

  /** Takes out one value added before (windows only grow, so the largest ever added stays the max). */
  remove(ms: number): void {
    const b = bucketOf(ms);
    if (!(this.counts[b] > 0)) throw neverAdded(ms);
    this.counts[b]--;
    this.total--;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.largest;
  }

  /** The q-quantile (nearest rank), as its bucket's geometric middle; never above the max. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.largest, middleOf(b));
    }
    return this.largest;
  }
}

function bucketOf(ms: number): number {
  if (ms < FLOOR_MS) return 0; // also every order's first effect: no logarithm
  return 1 + Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
}

function middleOf(bucket: number): number {
  if (bucket === 0) return 0;
  return FLOOR_MS * GROWTH ** (bucket - 1) * Math.sqrt(GROWTH);
}

// Built out of line: see lint/no-inline-error-text.grit.
function emptyBucket(b: number): Error {
  return new Error(`window bucket ${b} is empty`);
}

function neverAdded(ms: number): Error {
  return new Error(`window ${ms} ms was never added`);
}
