// Chart: end-to-end latency percentiles (p50, p90, p99) of each stored window over simulated
// time, as a Grafana latency panel shows histogram_quantile over time, with fault windows and
// the warm-up shaded behind the lines.
import type { LineRow, TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  msText,
  timeText,
  timeX,
  valueScale,
  WIDTH,
} from "./common.ts";
import { HOVER, withSeriesHover } from "./hover.ts";

const QUANTILE_COLOURS: Record<string, string> = { p50: "#4c78a8", p90: "#f58518", p99: "#b2182b" };

export interface LatencyChartInput {
  rows: LineRow[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
  stepMs: number;
  loads: string[];
}

export function latencyChart({
  rows,
  axis,
  faults,
  warmup,
  stepMs,
  loads,
}: LatencyChartInput): Chart {
  const names = [...new Set(rows.map((r) => r.series))];
  const scale = valueScale(rows.map((r) => r.value));
  const colours = names.map((n) => QUANTILE_COLOURS[n.split(" ").pop()!] ?? "#555555");
  const y = {
    field: "value",
    type: "quantitative" as const,
    title: `latency (ms${scale.logNote})`,
    scale: { type: scale.type },
  };
  const color = {
    field: "series",
    type: "nominal" as const,
    title: "percentile",
    scale: { domain: names, range: colours },
    sort: names,
  };
  // The points (few enough to draw) are their own layer, so each keeps its own values as its title.
  const pointed = rows.length / Math.max(1, names.length) <= 150;
  return {
    id: "latency",
    title: "End-to-end latency over time",
    explanation: explain(rows, axis, faults, warmup, stepMs, loads),
    spec: {
      config: CONFIG,
      width: WIDTH,
      height: 260,
      layer: [
        ...bandLayers(faults, warmup, axis),
        {
          data: { values: withSeriesHover(rows, msText, axis) },
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: {
            x: timeX(axis),
            y,
            color,
            ...HOVER,
            ...(loads.length > 1
              ? { strokeDash: { field: "series", type: "nominal", legend: null } }
              : {}),
          },
        },
        ...(pointed
          ? [
              {
                data: { values: rows },
                mark: { type: "point" as const, filled: true, size: 14 },
                encoding: { x: timeX(axis), y, color },
              },
            ]
          : []),
      ],
    },
  };
}

function explain(
  rows: LineRow[],
  axis: TimeAxis,
  faults: Band[],
  warmup: Band | null,
  stepMs: number,
  loads: string[],
): string {
  const who = loads.length === 1 ? `requests of the load “${loads[0]}”` : "end-user requests";
  const parts = [
    `How long ${who} took from the moment they were due to be sent until their answer arrived, retries included.`,
    `Each point summarises the requests that finished in the preceding ${msText(stepMs)} of simulated time:`,
    "p50 is the median (half of the requests were faster), p90 is beaten by nine requests in ten, and p99 by 99 in a hundred, so it shows the slow tail that a few users feel.",
  ];
  if (warmup !== null)
    parts.push(
      `The grey band is the warm-up (the first ${timeText(warmup.end, axis)}), left out of the summary tables.`,
    );
  if (faults.length > 0)
    parts.push(`Red bands are the injected faults (${faults.map((f) => f.label).join("; ")}).`);
  const firstPoint = rows.length > 0 ? rows[0].t : 0;
  if (rows.some((r) => r.value === null && r.t > firstPoint))
    parts.push("A gap in the lines means that no request completed in that window.");
  const worst = rows
    .filter((r) => r.series.endsWith("p99") && r.value !== null)
    .sort((a, b) => b.value! - a.value! || a.t - b.t)[0];
  if (worst !== undefined)
    parts.push(
      `The worst p99 was ${msText(worst.value!)}, in the window ending at ${timeText(worst.t, axis)}.`,
    );
  return parts.join(" ");
}
