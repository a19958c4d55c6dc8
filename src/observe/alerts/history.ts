// What the rules can look back on: the value of every series at every scrape within the longest
// range any rule reads, like the head block of Prometheus' TSDB. A series that first appears
// mid-run reads 0 at the scrapes before it, as in the stored metrics (every family here counts or
// measures from 0; in Prometheus terms, every label set is initialised to 0 at start-up).
import type { Series } from "../metrics/seriesStore.ts";

export class SampleHistory {
  /** Scrape times, oldest first; index i of every series' values belongs to timesMs[i]. */
  private times: number[] = [];
  /** Per series, by its index in the store (the store only appends). */
  private readonly values: number[][] = [];

  /** `keepMs`: the longest range read; older samples are dropped. */
  constructor(private readonly keepMs: number) {}

  get length(): number {
    return this.times.length;
  }

  timeAt(i: number): number {
    return this.times[i];
  }

  valueAt(series: number, i: number): number {
    return this.values[series][i];
  }

  /** Keeps every series' current value as the sample at `atMs` (which must be later than the last). */
  record(atMs: number, series: readonly Series[]): void {
    for (let s = this.values.length; s < series.length; s++)
      this.values.push(new Array<number>(this.times.length).fill(0));
    this.times.push(atMs);
    for (let s = 0; s < series.length; s++) this.values[s].push(series[s].current);
    this.forget(atMs - this.keepMs);
  }

  /** Index of the first sample later than `afterMs` (samples in (afterMs, now] are first..length−1). */
  firstAfter(afterMs: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] > afterMs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Drops samples at or before `cutoffMs` (no range ending now or later reaches them), in batches. */
  private forget(cutoffMs: number): void {
    const stale = this.firstAfter(cutoffMs);
    if (stale < 64 || stale * 2 < this.times.length) return;
    this.times = this.times.slice(stale);
    for (let s = 0; s < this.values.length; s++) this.values[s] = this.values[s].slice(stale);
  }
}
