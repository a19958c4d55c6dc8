// The distribution of orders' inconsistency windows, kept as log-spaced bucket counts (1% wide, as
// the run's latency histograms) that also allow a value to be taken out again: an order's window
// grows with each late effect, so its old value is removed and the new one added, and the
// distribution is exact at any moment without keeping a list of every order.

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Windows below 1 µs fall in bucket 0 (a single effect: no window at all). */
const FLOOR_MS = 0.001;

export class WindowDistribution {
  /** Count per bucket index; iterated only sorted by index, so insertion order never matters. */
  private readonly counts = new Map<number, number>();
  private total = 0;
  private largest = 0;

  add(ms: number): void {
    const b = bucketOf(ms);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
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
    this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
    return to;
  }

  private take(b: number): void {
    const left = (this.counts.get(b) ?? 0) - 1;
    if (left < 0) throw new Error(`window bucket ${b} is empty`);
    if (left === 0) this.counts.delete(b);
    else this.counts.set(b, left);
  }

  /** Takes out one value added before (windows only grow, so the largest ever added stays the max). */
  remove(ms: number): void {
    const b = bucketOf(ms);
    const left = (this.counts.get(b) ?? 0) - 1;
    if (left < 0) throw new Error(`window ${ms} ms was never added`);
    if (left === 0) this.counts.delete(b);
    else this.counts.set(b, left);
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
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const b of buckets) {
      seen += this.counts.get(b)!;
      if (seen >= rank) return Math.min(this.largest, middleOf(b));
    }
    return this.largest;
  }
}

function bucketOf(ms: number): number {
  if (ms < FLOOR_MS) return 0;
  return 1 + Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
}

function middleOf(bucket: number): number {
  if (bucket === 0) return 0;
  return FLOOR_MS * GROWTH ** (bucket - 1) * Math.sqrt(GROWTH);
}
