// Chart: how wrong the proxies' registry views were over time, per called service, from the
// scraped gauges meshsim_proxy_endpoints_stale and _unknown (summed over every caller's proxies):
// above, known endpoints that were dead or unready (what a Eureka client keeps after a kill);
// below, live, ready endpoints the views did not have yet (new pods not yet propagated).

import type { DiscoveryResult } from "../../../result/discovery.ts";
import type { MetricsResult } from "../../../result/metrics.ts";
import { groupThousands } from "../../sections/tables.ts";
import { type LineRow, seriesWith, sumValues, type TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";
import { bandLayers, type Chart, CONFIG, msText, timeText, timeX, WIDTH } from "./common.ts";

export const STALE_SERIES = "meshsim_proxy_endpoints_stale";
export const UNKNOWN_SERIES = "meshsim_proxy_endpoints_unknown";

/**
 * Per target service, a gauge summed over its callers' series, one row per stored scrape plus a 0
 * at time 0 (no view is wrong before the first call). Services in the order their series appear.
 */
export function viewErrorRows(metrics: MetricsResult, name: string, axis: TimeAxis): LineRow[] {
  const all = seriesWith(metrics, name);
  const targets = [...new Set(all.map((s) => s.labels.target))];
  return targets.flatMap((target) => {
    const values = sumValues(
      all.filter((s) => s.labels.target === target).map((s) => s.values),
      metrics.timesMs.length,
    );
    return [
      { t: 0, series: target, value: 0 },
      ...metrics.timesMs.map((ms, i) => ({
        t: ms / axis.msPerUnit,
        series: target,
        value: values[i],
      })),
    ];
  });
}

export interface StalenessChartInput {
  discovery: DiscoveryResult;
  metrics: MetricsResult;
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
}

/** The chart, or null when the result holds no view gauges (saved before they were scraped). */
export function stalenessChart({
  discovery,
  metrics,
  axis,
  faults,
  warmup,
}: StalenessChartInput): Chart | null {
  const stale = viewErrorRows(metrics, STALE_SERIES, axis);
  const unknown = viewErrorRows(metrics, UNKNOWN_SERIES, axis);
  if (stale.length === 0 && unknown.length === 0) return null;
  const services = [...new Set([...stale, ...unknown].map((r) => r.series))];
  const panel = (rows: LineRow[], title: string) => ({
    title,
    width: WIDTH,
    height: 130,
    layer: [
      ...bandLayers(faults, warmup, axis),
      {
        data: { values: rows },
        mark: { type: "line" as const, strokeWidth: 1.6, interpolate: "step-after" as const },
        encoding: {
          x: timeX(axis),
          y: {
            field: "value",
            type: "quantitative" as const,
            title: "endpoints",
            scale: { domain: [0, Math.max(1, ...rows.map((r) => r.value ?? 0))] },
            axis: { tickMinStep: 1 },
          },
          color: {
            field: "series",
            type: "nominal" as const,
            title: "called service",
            scale: { scheme: "tableau10", domain: services },
          },
        },
      },
    ],
  });
  return {
    id: "staleness",
    title: `Registry views against the truth (${discovery.kind})`,
    explanation: explain(discovery, stale, axis, metrics.stepMs),
    spec: {
      config: CONFIG,
      spacing: 24,
      vconcat: [
        panel(stale, "Stale: known endpoints that were dead or unready"),
        panel(unknown, "Unknown: live, ready endpoints missing from the views"),
      ],
    },
  };
}

function explain(
  discovery: DiscoveryResult,
  stale: LineRow[],
  axis: TimeAxis,
  stepMs: number,
): string {
  const parts = [
    `In a mesh no proxy sees the true set of instances: each balances over its own copy of the registry's (${discovery.kind}) view, refreshed on its own schedule, so it lags behind.`,
    "The upper panel counts endpoints the views still held although the instance was dead or not ready: calls sent to them fail or time out. The lower panel counts live, ready instances the views did not know yet, which get no traffic.",
    `Both are summed over every proxy that calls the service (4 proxies each holding 3 dead endpoints count 12), as scraped every ${msText(stepMs)}, so a view that was wrong for less than that may not show.`,
  ];
  const worst = [...stale]
    .filter((r) => r.value !== null && r.value > 0)
    .sort((a, b) => b.value! - a.value! || a.t - b.t)[0];
  if (worst === undefined) parts.push("No scrape caught a stale endpoint in this run.");
  else
    parts.push(
      `The most stale endpoints at one scrape were ${worst.value} in the views of ${worst.series}'s callers, at ${timeText(worst.t, axis)}.`,
    );
  const edges = Object.entries(discovery.edges).filter(
    ([, e]) => e.sentToDead + e.sentToDraining > 0,
  );
  if (edges.length > 0) {
    const sends = edges.map(
      ([edge, e]) =>
        `${edge}: ${groupThousands(e.sentToDead)} to dead, ${groupThousands(e.sentToDraining)} to draining instances, a stale endpoint kept for up to ${msText(e.longestStaleMs)}`,
    );
    parts.push(
      `Tries sent after the warm-up to instances the truth no longer had: ${sends.join("; ")}.`,
    );
  }
  return parts.join(" ");
}
