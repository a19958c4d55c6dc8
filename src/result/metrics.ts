// The run result's `metrics`: the scraped series as observe/metrics/summary.ts stores them,
// families once, then every series with its labels and stored values (whole counts exact, other
// values to 6 significant digits; NaN, a quantile of an empty window, as null). Types only.

/**
 * Prometheus metric types; a summary here carries only quantiles over a recent window (no
 * _sum/_count).
 */
export type FamilyType = "counter" | "gauge" | "histogram" | "summary";

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
