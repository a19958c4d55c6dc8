// A Prometheus client histogram: counts per fixed bucket (client_golang's DefBuckets, in seconds),
// plus sum and count, all exact. It is what `metrics.prom` exposes and what PromQL's
// histogram_quantile would read; the report's quantile charts use the finer LatencyHistogram.
// As that one does, it bins its records in batches, in order, when read or when the batch is full.

/** Records held before they are binned. */
const BATCH = 512;

export class BucketHistogram {
  private readonly boundsMs: Float64Array;
  /** The `le` label of each bound: seconds, as Prometheus writes them (e.g. "0.005"). */
  readonly leLabels: readonly string[];
  /** Count per bucket, not cumulative; the last is (largest bound, +Inf]. */
  private readonly counts: Float64Array;
  private binned = 0;
  private binnedSumMs = 0;
  /** Records not binned yet, in recording order. */
  private readonly unbinned = new Float64Array(BATCH);
  private unbinnedCount = 0;

  /** `boundsMs`: the buckets' upper bounds, increasing (client_golang's DefBuckets: scenario/defaults.ts). */
  constructor(boundsMs: readonly number[]) {
    this.boundsMs = Float64Array.from(boundsMs);
    this.leLabels = boundsMs.map((ms) => String(ms / 1000));
    this.counts = new Float64Array(boundsMs.length + 1);
  }

  record(ms: number): void {
    if (this.unbinnedCount === BATCH) this.bin();
    this.unbinned[this.unbinnedCount++] = ms;
  }

  get count(): number {
    return this.binned + this.unbinnedCount;
  }

  /** Sum of recorded values in ms, added in recording order. */
  get sumMs(): number {
    this.bin();
    return this.binnedSumMs;
  }

  /** Writes the cumulative counts per `le` (the last one +Inf) into `out[i].current`. */
  cumulativeInto(out: readonly { current: number }[]): void {
    this.bin();
    let running = 0;
    for (let i = 0; i < this.counts.length; i++) out[i].current = running += this.counts[i];
  }

  /** Cumulative counts per `le`, the last one being +Inf (equal to `count`). */
  cumulative(): number[] {
    this.bin();
    const out: number[] = [];
    let running = 0;
    for (const c of this.counts) out.push((running += c));
    return out;
  }

  private bin(): void {
    const n = this.unbinnedCount;
    if (n === 0) return;
    const bounds = this.boundsMs;
    const values = this.unbinned;
    let sum = this.binnedSumMs;
    for (let k = 0; k < n; k++) {
      const ms = values[k];
      let i = 0;
      while (i < bounds.length && ms > bounds[i]) i++;
      this.counts[i]++;
      sum += ms;
    }
    this.binned += n;
    this.binnedSumMs = sum;
    this.unbinnedCount = 0;
  }
}
