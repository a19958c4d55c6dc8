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
import { figure, HOVER, withSeriesHover } from "./hover.ts";

/** At most this many component rows; the rest are counted in the explanation. */
export const MAX_COMPONENT_ROWS = 40;

/**
 * Colours of the states a component can be in away from normal: breakers, ejections, processes,
 * pods (their phases) and registries. A state not listed here (a new kind of component) still
 * gets a bar, in a colour of FALLBACK_COLOURS: a scale domain without it would draw it unfilled.
 */
const KNOWN_STATE_COLOURS: readonly (readonly [string, string])[] = [
  ["OPEN", "#d62728"],
  ["HALF_OPEN", "#f2b447"],
  ["ejected", "#9467bd"],
  ["dead", "#222222"],
  ["failed", "#8c564b"],
  ["starting", "#72b7b2"],
  ["ready", "#54a24b"],
  ["draining", "#e45756"],
  ["stopped", "#9d9da1"],
  ["registered", "#4c78a8"],
  ["cancelled", "#b279a2"],
  ["self-preservation", "#ff9da6"],
];
const FALLBACK_COLOURS = ["#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a"];

/** A colour scale whose domain holds every state in `states`: the known ones first, in their order. */
export function stateColours(states: readonly string[]): { domain: string[]; range: string[] } {
  const present = new Set(states);
  const known = KNOWN_STATE_COLOURS.filter(([state]) => present.has(state));
  const knownNames = new Set(known.map(([state]) => state));
  const others = [...present].filter((state) => !knownNames.has(state)).sort();
  return {
    domain: [...known.map(([state]) => state), ...others],
    range: [
      ...known.map(([, colour]) => colour),
      ...others.map((_, i) => FALLBACK_COLOURS[i % FALLBACK_COLOURS.length]),
    ],
  };
}
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

/** The chart, or null when nothing changed state and every gauge stayed at 0 (the report says so in a line instead). */
export function statesChart({
  intervals,
  gauges,
  axis,
  faults,
  warmup,
}: StatesChartInput): Chart | null {
  const gaugesMoved = gauges.some((g) => g.value !== null && g.value !== 0);
  if (intervals.length === 0 && !gaugesMoved) return null;
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
          color: {
            field: "state",
            type: "nominal" as const,
            title: "state",
            scale: stateColours(shown.map((i) => i.state)),
          },
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
        data: { values: withSeriesHover(gauges, figure, axis) },
        mark: { type: "line" as const, strokeWidth: 1.6, interpolate: "step-after" as const },
        encoding: {
          ...HOVER,
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
    explanation: explain(components.length, intervals.length, gaugesMoved),
    spec: {
      config: CONFIG,
      spacing: 24,
      resolve: { scale: { color: "independent" } },
      vconcat: [...(shown.length > 0 ? [timeline] : []), ...(gaugesMoved ? [gaugePanel] : [])],
    },
  };
}

/** The line the report prints instead of the chart when nothing changed state. */
export const NOTHING_CHANGED_STATE =
  "Nothing changed state in this run: no circuit breaker opened, no host was ejected and no instance went down.";

function explain(components: number, spans: number, gaugesMoved: boolean): string {
  const parts = [
    "The mesh protects callers from a failing service in three ways: a circuit breaker in the caller's sidecar stops sending calls (OPEN) and later lets a few through to test the service (HALF_OPEN); outlier detection ejects a misbehaving instance from a caller's pool for a while; and a crashed or failed instance is down until it restarts.",
  ];
  if (components === 0) {
    parts.push(
      "No component's change was recorded, but the monitoring scrapes saw some down or open: the lines count them over time.",
    );
  } else {
    parts.push(
      `The upper panel has one row per component that changed state (${components} of them), with a bar for each of the ${spans} spans it spent away from normal.`,
    );
    if (components > MAX_COMPONENT_ROWS)
      parts.push(`Only the first ${MAX_COMPONENT_ROWS} to change are drawn.`);
    parts.push(
      gaugesMoved
        ? "The lower panel counts them over time as the monitoring scrapes saw them, so spans shorter than a scrape interval may not show there."
        : "No breaker was open, no host ejected and no instance down at any scrape, so the counts over time are left out.",
    );
  }
  return parts.join(" ");
}
