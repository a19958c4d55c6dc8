// What the rules can look back on, like the head block of Prometheus' TSDB: the value of every
// series at every evaluation tick within the longest span any rule reads. Two kinds of series: the
// scraped ones (a series that first appears mid-run reads 0 at the ticks before it, as in the stored
// metrics: every family here counts or measures from 0) and those recording rules write (absent at
// a tick where the rule gave no sample for them, as Prometheus' staleness marker makes them).
import type { Series } from "../metrics/seriesStore.ts";

/** Label pairs sorted by name, `__name__` included. */
export type LabelSet = readonly (readonly [string, string])[];

export interface HistorySeries {
  readonly name: string;
  readonly labels: LabelSet;
  /** Value at each kept tick; null: no sample (a recorded series the rule did not produce). */
  values: (number | null)[];
}

/** How far back an instant selector looks for a sample (Prometheus' default lookback delta). */
export const LOOKBACK_MS = 300_000;

export class SampleHistory {
  /** Tick times, oldest first; index i of every series' values belongs to times[i]. */
  private times: number[] = [];
  /** Every series, in order of first appearance (the scraped ones as the store made them). */
  readonly series: HistorySeries[] = [];
  /** How many of the store's series are mirrored here. */
  private mirrored = 0;
  private readonly recordedIndex = new Map<string, number>();

  /** `keepMs`: the longest span read back from a tick; older samples are dropped. */
  constructor(private readonly keepMs: number) {}

  get length(): number {
    return this.times.length;
  }

  timeAt(i: number): number {
    return this.times[i];
  }

  /** Starts the tick at `atMs` (later than the last): every scraped series' current value, no recorded sample yet. */
  record(atMs: number, scraped: readonly Series[]): void {
    for (; this.mirrored < scraped.length; this.mirrored++) {
      const s = scraped[this.mirrored];
      this.series.push({
        name: s.name,
        labels: sortedWithName(s.name, s.labels),
        values: new Array<number | null>(this.times.length).fill(0),
      });
      this.scrapedIndex.push(this.series.length - 1);
    }
    this.times.push(atMs);
    for (let i = 0; i < this.scrapedIndex.length; i++)
      this.series[this.scrapedIndex[i]].values.push(scraped[i].current);
    for (const index of this.recordedIndex.values()) this.series[index].values.push(null);
    this.forget(atMs - this.keepMs);
  }

  /** Writes a recording rule's sample for the current tick (labels sorted, `__name__` included). */
  setRecorded(labels: LabelSet, value: number): void {
    const key = labelKey(labels);
    let index = this.recordedIndex.get(key);
    if (index === undefined) {
      const name = labels.find(([k]) => k === "__name__")?.[1] ?? "";
      index = this.series.length;
      this.series.push({
        name,
        labels,
        values: new Array<number | null>(this.times.length).fill(null),
      });
      this.recordedIndex.set(key, index);
    }
    this.series[index].values[this.times.length - 1] = value;
  }

  /** Index of the first tick later than `afterMs` (ticks in (afterMs, now] are first..length−1). */
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

  /** The value an instant selector reads for `series` at `atMs`: the latest sample in (atMs − 5m, atMs], or null. */
  instantAt(series: HistorySeries, atMs: number): { value: number; timeMs: number } | null {
    const i = this.firstAfter(atMs) - 1;
    if (i < 0 || this.times[i] <= atMs - LOOKBACK_MS) return null;
    const value = series.values[i];
    return value === null ? null : { value, timeMs: this.times[i] };
  }

  /** Index of each scraped series in `series`, by store index. */
  private readonly scrapedIndex: number[] = [];

  /** Drops samples at or before `cutoffMs` (no span ending now or later reaches them), in batches. */
  private forget(cutoffMs: number): void {
    const stale = this.firstAfter(cutoffMs);
    if (stale < 64 || stale * 2 < this.times.length) return;
    this.times = this.times.slice(stale);
    for (const s of this.series) s.values = s.values.slice(stale);
  }
}

/** A series' labels sorted by name, with `__name__` first among them in sort order. */
export function sortedWithName(
  name: string,
  labels: readonly (readonly [string, string])[],
): LabelSet {
  return [["__name__", name] as const, ...labels].sort((a, b) => compareText(a[0], b[0]));
}

/** A label set's identity: its sorted pairs joined. */
export function labelKey(labels: LabelSet): string {
  let key = "";
  for (const [k, v] of labels) key += `${k}\u0001${v}\u0000`;
  return key;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
