// A Prometheus client histogram: counts per fixed bucket (client_golang's DefBuckets, in seconds),
// plus sum and count, all exact. It is what `metrics.prom` exposes and what PromQL's
// histogram_quantile would read; the report's quantile charts use the finer LatencyHistogram.

/** Prometheus client_golang DefBuckets (.005 ... 10 seconds), in ms; +Inf is implied. */
export const DEFAULT_BUCKETS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export class BucketHistogram {
  private readonly boundsMs: Float64Array;
  /** The `le` label of each bound: seconds, as Prometheus writes them (e.g. "0.005"). */
  readonly leLabels: readonly string[];
  /** Count per bucket, not cumulative; the last is (largest bound, +Inf]. */
  private readonly counts: Float64Array;
  count = 0;
  /** Sum of recorded values in ms. */
  sumMs = 0;

  constructor(boundsMs: readonly number[] = DEFAULT_BUCKETS_MS) {
    this.boundsMs = Float64Array.from(boundsMs);
    this.leLabels = boundsMs.map((ms) => String(ms / 1000));
    this.counts = new Float64Array(boundsMs.length + 1);
  }

  record(ms: number): void {
    const bounds = this.boundsMs;
    let i = 0;
    while (i < bounds.length && ms > bounds[i]) i++;
    this.counts[i]++;
    this.count++;
    this.sumMs += ms;
  }

  /** Writes the cumulative counts per `le` (the last one +Inf) into `out[i].current`. */
  cumulativeInto(out: readonly { current: number }[]): void {
    let running = 0;
    for (let i = 0; i < this.counts.length; i++) out[i].current = running += this.counts[i];
  }

  /** Cumulative counts per `le`, the last one being +Inf (equal to `count`). */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (const c of this.counts) out.push((running += c));
    return out;
  }
}
