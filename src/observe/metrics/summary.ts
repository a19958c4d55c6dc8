// The scraped series as they go into the run result: families once, then every series with its
// labels and stored values (whole counts exact, other values to 6 significant digits; NaN, a
// quantile of an empty window, as null).
import type { MetricsResult } from "../../result/metrics.ts";
import { roundSig } from "../../result/round.ts";
import type { Monitor } from "./monitor.ts";

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
