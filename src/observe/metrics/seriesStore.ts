// Metric series as a scraper sees them: each series is one family (its name, type and help, in
// Prometheus' sense) plus a label set. At every scrape the collectors set each series' current
// value; the store then keeps the values of every `stride`-th scrape. A series that first appears
// mid-run reads 0 at the stored points before it (every family here counts or measures from 0).

import type { FamilyType } from "../../result/metrics.ts";

export interface Family {
  /** Prometheus metric name, without the _total / _bucket suffixes of its samples. */
  readonly name: string;
  readonly type: FamilyType;
  readonly help: string;
  /** Base unit (Prometheus/OpenMetrics UNIT): "seconds", "ratio", or "" for a plain count. */
  readonly unit: string;
}

export type Labels = readonly (readonly [string, string])[];

export class Series {
  /** The current (last scraped) value: what alert rules read at the scrape. */
  current = 0;
  /** Values at the stored scrapes (before this series existed: 0). */
  readonly values: number[];

  constructor(
    readonly family: Family,
    /** The sample name: the family name plus `_total`, `_bucket`, `_sum` or `_count` as its type wants. */
    readonly name: string,
    readonly labels: Labels,
    storedSoFar: number,
  ) {
    this.values = new Array<number>(storedSoFar).fill(0);
  }

  label(key: string): string | undefined {
    for (const [k, v] of this.labels) if (k === key) return v;
    return undefined;
  }
}

export class SeriesStore {
  /** Series in the order they were first set (a deterministic order: collectors run in a fixed order). */
  readonly series: Series[] = [];
  readonly families: Family[] = [];
  /** Simulated times of the stored scrapes. */
  readonly timesMs: number[] = [];
  private readonly byKey = new Map<string, Series>();
  private readonly familyNames = new Set<string>();

  /** The series of `family` with sample name `name` and `labels` (in the order given), made on first use. */
  seriesOf(family: Family, name: string, labels: Labels): Series {
    const key = seriesKey(name, labels);
    let series = this.byKey.get(key);
    if (series === undefined) {
      if (!this.familyNames.has(family.name)) {
        this.familyNames.add(family.name);
        this.families.push(family);
      }
      series = new Series(family, name, labels, this.timesMs.length);
      this.byKey.set(key, series);
      this.series.push(series);
    }
    return series;
  }

  /** Keeps every series' current value as the point at `atMs`. */
  store(atMs: number): void {
    this.timesMs.push(atMs);
    for (const series of this.series) series.values.push(series.current);
  }

  /** Series whose sample name is `name` and whose labels include every pair of `match`. */
  select(name: string, match: Readonly<Record<string, string>> = {}): Series[] {
    const wanted = Object.entries(match);
    return this.series.filter((s) => s.name === name && wanted.every(([k, v]) => s.label(k) === v));
  }
}

function seriesKey(name: string, labels: Labels): string {
  let key = name;
  for (const [k, v] of labels) key += `\u0000${k}\u0001${v}`;
  return key;
}
