// The scraped series as they go into the run result: families once, then every series with its
// labels and stored values (whole counts exact, other values to 6 significant digits; NaN, a
// quantile of an empty window, as null).
import { roundSig } from "../histogram.ts";
import type { Monitor } from "./monitor.ts";
import type { FamilyType } from "./seriesStore.ts";

export interface MetricsResult {
  /** Simulated ms between scrapes (alert rules are evaluated at every one). */
  scrapeIntervalMs: number;
  /** Simulated ms between stored points: scrapeIntervalMs × the stride that keeps maxPoints. */
  stepMs: number;
  /** Simulated times of the stored points (the last scrape is always stored). */
  timesMs: number[];
  families: { name: string; type: FamilyType; unit: string; help: string }[];
  /** `name` is the sample name (e.g. meshsim_requests_total, ..._bucket); `family` its family's. */
  series: {
    family: string;
    name: string;
    labels: Record<string, string>;
    values: (number | null)[];
  }[];
}

export function summariseMetrics(monitor: Monitor): MetricsResult {
  const { store } = monitor;
  return {
    scrapeIntervalMs: monitor.intervalMs,
    stepMs: monitor.stepMs,
    timesMs: [...store.timesMs],
    families: store.families.map(({ name, type, unit, help }) => ({ name, type, unit, help })),
    series: store.series.map((s) => ({
      family: s.family.name,
      name: s.name,
      labels: Object.fromEntries(s.labels),
      values: s.values.map((v) => (Number.isNaN(v) ? null : Number.isInteger(v) ? v : roundSig(v))),
    })),
  };
}
