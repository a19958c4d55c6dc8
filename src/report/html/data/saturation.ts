// Rows for the saturation curve (load against latency): per stored window, the end-user requests
// offered and completed per second (summed over loads, from the counters as chartRows.ts rates
// them) beside each load's window latency quantiles, so latency and throughput can be plotted
// against the offered rate, as a capacity planner reads the knee from a stepped or ramped load test.
import type { MetricsResult } from "../../../result/metrics.ts";
import type { RunResult } from "../../../result/run.ts";
import { counterRates, seriesWith, sumValues } from "./chartRows.ts";

export interface SaturationRow {
  /** The end of the first window it stands for, in ms of simulated time. */
  ms: number;
  offered: number;
  completed: number;
  /** `p99`, or `<load> p99` with several loads. */
  series: string;
  latencyMs: number | null;
  /** Stored windows the row stands for. */
  windows: number;
}

// p50 and p99 only: the knee shows in both, and a third point per window doubles little but bytes.
const QUANTILES: Record<string, string> = { "0.5": "p50", "0.99": "p99" };

/** Offered and completed per second in each stored window; the first from time 0. */
export function windowRates(metrics: MetricsResult): {
  offered: (number | null)[];
  completed: (number | null)[];
} {
  const n = metrics.timesMs.length;
  const rate = (name: string) =>
    counterRates(
      metrics.timesMs,
      sumValues(
        seriesWith(metrics, name).map((s) => s.values),
        n,
      ),
    );
  return {
    offered: rate("meshsim_load_requests_total"),
    completed: rate("meshsim_load_completed_total"),
  };
}

/**
 * Whether the offered rate changed over the run, beyond the noise of counting arrivals: the 90th
 * percentile window's rate is at least 1.5 times the 10th's and beyond what Poisson counting
 * noise gives (±2 standard deviations of the mean count per window on either side).
 */
export function loadChanges(metrics: MetricsResult): boolean {
  const offered = windowRates(metrics).offered.filter((v): v is number => v !== null);
  if (offered.length < 4) return false;
  const sorted = [...offered].sort((a, b) => a - b);
  const low = sorted[Math.floor(0.1 * (sorted.length - 1))];
  const high = sorted[Math.ceil(0.9 * (sorted.length - 1))];
  if (high <= 0) return false;
  const meanCount = (offered.reduce((a, b) => a + b, 0) / offered.length) * (metrics.stepMs / 1000);
  const noise = meanCount > 0 ? 2 / Math.sqrt(meanCount) : 1;
  return low <= 0 || high / low >= Math.max(1.5, (1 + noise) / Math.max(0.01, 1 - noise));
}

/** Windows are grouped into this many equal slices of the offered range, so a long run stays small. */
export const SATURATION_BINS = 25;

/**
 * One row per slice of the offered range (SATURATION_BINS of them), load and quantile: the mean
 * offered and completed rates of the windows whose offered rate falls in it and the median of their
 * latency quantiles (a window is one point when each has a slice of its own). Windows with nothing
 * offered are left out.
 */
export function saturationRows(result: RunResult, metrics: MetricsResult): SaturationRow[] {
  const { offered, completed } = windowRates(metrics);
  const loads = Object.keys(result.load);
  const shown = offered.filter((o): o is number => o !== null && o > 0);
  if (shown.length === 0) return [];
  const low = Math.min(...shown);
  const width = (Math.max(...shown) - low) / SATURATION_BINS;
  const binOf = (o: number) =>
    width === 0 ? 0 : Math.min(SATURATION_BINS - 1, Math.floor((o - low) / width));
  const rows: SaturationRow[] = [];
  for (const load of loads)
    for (const s of seriesWith(metrics, "meshsim_load_latency_window_seconds", { load })) {
      const q = QUANTILES[s.labels.quantile];
      if (q === undefined) continue;
      const bins = new Map<
        number,
        { ms: number[]; offered: number[]; completed: number[]; latency: number[] }
      >();
      metrics.timesMs.forEach((ms, i) => {
        const o = offered[i];
        if (o === null || o <= 0) return;
        const key = binOf(o);
        const bin = bins.get(key) ?? { ms: [], offered: [], completed: [], latency: [] };
        bins.set(key, bin);
        bin.ms.push(ms);
        bin.offered.push(o);
        bin.completed.push(completed[i] ?? 0);
        const v = s.values[i];
        if (v !== null && v !== undefined) bin.latency.push(v * 1000);
      });
      for (const key of [...bins.keys()].sort((a, b) => a - b)) {
        const bin = bins.get(key)!;
        rows.push({
          ms: bin.ms[0],
          offered: mean(bin.offered),
          completed: mean(bin.completed),
          series: loads.length > 1 ? `${load} ${q}` : q,
          latencyMs: bin.latency.length === 0 ? null : median(bin.latency),
          windows: bin.ms.length,
        });
      }
    }
  return rows;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The middle value, or the mean of the two middle ones. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
