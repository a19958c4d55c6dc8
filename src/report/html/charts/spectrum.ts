// Chart: the latency distribution as a percentile spectrum (HdrHistogram's percentile plot, the
// first chart Gatling shows): for each load (end to end) and service (at its instances), the
// latency that 1 in N requests exceeded, N on a log scale from the median (1 in 2) to the slowest
// request (1 in the number completed). Drawn from the result's percentiles (p50, p90, p99, p99.9,
// max), so it needs no histogram; the run's histograms have 0.4% wide buckets.
import type { RunResult } from "../../../result/run.ts";
import { type Chart, CONFIG, WIDTH } from "./common.ts";

export interface SpectrumRow {
  series: string;
  /** The percentile's name: p50, p90, p99, p99.9, max. */
  percentile: string;
  /** 1 in N requests took longer. */
  oneIn: number;
  ms: number;
}

const POINTS: readonly {
  percentile: string;
  oneIn: number;
  key: "p50" | "p90" | "p99" | "p999";
}[] = [
  { percentile: "p50", oneIn: 2, key: "p50" },
  { percentile: "p90", oneIn: 10, key: "p90" },
  { percentile: "p99", oneIn: 100, key: "p99" },
  { percentile: "p99.9", oneIn: 1000, key: "p999" },
];

/** One row per percentile of every load and service that completed a request; the max at 1 in the count. */
export function spectrumRows(result: RunResult): SpectrumRow[] {
  const rows: SpectrumRow[] = [];
  const add = (series: string, l: RunResult["load"][string]["latencyMs"], count: number) => {
    if (count <= 0) return;
    for (const p of POINTS)
      if (p.oneIn < count)
        rows.push({ series, percentile: p.percentile, oneIn: p.oneIn, ms: l[p.key] });
    rows.push({ series, percentile: "max", oneIn: Math.max(count, 2), ms: l.max });
  };
  for (const [name, l] of Object.entries(result.load))
    add(`load ${name}`, l.latencyMs, l.completed);
  for (const [name, s] of Object.entries(result.services)) add(name, s.latencyMs, s.requests);
  return rows;
}

export function spectrumChart(result: RunResult): Chart | null {
  const rows = spectrumRows(result).filter((r) => r.ms > 0);
  if (rows.length === 0) return null;
  const series = [...new Set(rows.map((r) => r.series))];
  const loads = series.filter((s) => s.startsWith("load "));
  return {
    id: "spectrum",
    title: "Latency distribution: the percentile spectrum",
    explanation:
      "How the latency grows into the tail: for each load (end to end, thick lines) and each service (time at its instances, thin lines), the latency that 1 request in N exceeded, from the median (1 in 2) through p90 (1 in 10), p99 (1 in 100) and p99.9 (1 in 1,000) to the slowest request (1 in all of them). Both axes are logarithmic, so an exponential tail is a straight line and a kink shows where a second, slower population (timeouts, retries, a queue) takes over." +
      (loads.length > 0 ? "" : " No load completed a request."),
    spec: {
      config: CONFIG,
      width: WIDTH - 180,
      height: 240,
      data: { values: rows },
      layer: [
        {
          mark: { type: "line", point: { size: 28 } },
          encoding: {
            x: {
              field: "oneIn",
              type: "quantitative",
              title: "1 in N requests took longer (N)",
              scale: { type: "log" },
              axis: { format: "~s" },
            },
            y: {
              field: "ms",
              type: "quantitative",
              title: "latency (ms, log scale)",
              scale: { type: "log" },
            },
            color: {
              field: "series",
              type: "nominal",
              title: null,
              sort: series,
              scale: { scheme: "tableau10" },
            },
            strokeWidth: {
              condition: { test: "indexof(datum.series, 'load ') === 0", value: 3 },
              value: 1.2,
            },
            tooltip: [
              { field: "series", type: "nominal" },
              { field: "percentile", type: "nominal" },
              { field: "ms", type: "quantitative", format: ".3~r" },
            ],
          },
        },
      ],
    },
  };
}
