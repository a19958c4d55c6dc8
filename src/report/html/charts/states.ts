// Chart: the breaker and ejection timeline. Above (when anything changed state), one row per
// component (a caller's circuit breaker, a caller's outlier ejection of a host, an instance's
// lifecycle) with a bar for each span it spent away from its normal state; below, the scraped
// gauges of open breakers, ejected hosts and instances down, summed over the system.
import type { LineRow, TimeAxis } from "../data/chartRows.ts";
import type { Band, StateInterval } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  ROW_LABEL_LIMIT,
  timelineWidth,
  timeX,
  titleOffsetAbove,
  WIDTH,
} from "./common.ts";

/** At most this many component rows; the rest are counted in the explanation. */
export const MAX_COMPONENT_ROWS = 40;

const STATE_COLOURS = {
  domain: ["OPEN", "HALF_OPEN", "ejected", "dead", "failed"],
  range: ["#d62728", "#f2b447", "#9467bd", "#222222", "#8c564b"],
};
const GAUGE_COLOURS = {
  domain: ["breakers open", "hosts ejected", "instances down"],
  range: ["#d62728", "#9467bd", "#222222"],
};

export interface StatesChartInput {
  intervals: StateInterval[];
  gauges: LineRow[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
}

export function statesChart({ intervals, gauges, axis, faults, warmup }: StatesChartInput): Chart {
  const components = [...new Set(intervals.map((i) => i.component))];
  const shown = intervals.filter((i) => components.indexOf(i.component) < MAX_COMPONENT_ROWS);
  const width = shown.length > 0 ? timelineWidth(shown.map((i) => i.label)) : WIDTH;
  const timeline = {
    title: { text: "Components away from their normal state", offset: titleOffsetAbove(faults) },
    width,
    // A fixed height, not a step: the band labels' layer gives the layer a continuous y.
    height: 14 * Math.min(components.length, MAX_COMPONENT_ROWS),
    layer: [
      ...bandLayers(faults, null, axis, "above", width),
      {
        data: { values: shown },
        mark: { type: "bar" as const, height: 10 },
        encoding: {
          x: timeX(axis, "start"),
          x2: { field: "end" },
          y: {
            field: "label",
            type: "nominal" as const,
            title: null,
            sort: null,
            axis: { labelLimit: ROW_LABEL_LIMIT },
          },
          color: { field: "state", type: "nominal" as const, title: "state", scale: STATE_COLOURS },
        },
      },
    ],
  };
  const gaugePanel = {
    title: "Open breakers, ejected hosts and instances down (scraped)",
    width,
    height: 130,
    layer: [
      ...bandLayers(faults, warmup, axis, "inside", width),
      {
        data: { values: gauges },
        mark: { type: "line" as const, strokeWidth: 1.6, interpolate: "step-after" as const },
        encoding: {
          x: timeX(axis),
          y: {
            field: "value",
            type: "quantitative" as const,
            title: "count",
            scale: { domain: [0, Math.max(1, ...gauges.map((g) => g.value ?? 0))] },
            axis: { tickMinStep: 1 },
          },
          color: {
            field: "series",
            type: "nominal" as const,
            title: "gauge",
            scale: GAUGE_COLOURS,
          },
        },
      },
    ],
  };
  return {
    id: "states",
    title: "Circuit breakers, ejections and instance restarts",
    explanation: explain(components.length, intervals.length),
    spec: {
      config: CONFIG,
      spacing: 24,
      resolve: { scale: { color: "independent" } },
      vconcat: shown.length > 0 ? [timeline, gaugePanel] : [gaugePanel],
    },
  };
}

function explain(components: number, spans: number): string {
  const parts = [
    "The mesh protects callers from a failing service in three ways: a circuit breaker in the caller's sidecar stops sending calls (OPEN) and later lets a few through to test the service (HALF_OPEN); outlier detection ejects a misbehaving instance from a caller's pool for a while; and a crashed or failed instance is down until it restarts.",
  ];
  if (components === 0) {
    parts.push(
      "Nothing changed state in this run: no breaker opened, no instance was ejected or went down, so the lines below stay at 0.",
    );
  } else {
    parts.push(
      `The upper panel has one row per component that changed state (${components} of them), with a bar for each of the ${spans} spans it spent away from normal.`,
    );
    if (components > MAX_COMPONENT_ROWS)
      parts.push(`Only the first ${MAX_COMPONENT_ROWS} to change are drawn.`);
    parts.push(
      "The lower panel counts them over time as the monitoring scrapes saw them, so spans shorter than a scrape interval may not show there.",
    );
  }
  return parts.join(" ");
}
