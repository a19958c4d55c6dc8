// Chart: the alert timeline against the faults, like Grafana's alert state history: one row per
// alert instance, amber while pending (its condition holds but `for` has not elapsed), red while
// firing, over the shaded fault windows, so detection delays and false alarms show at a glance.
import type { TimeAxis } from "../data/chartRows.ts";
import type { AlertInterval, Band } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  ROW_LABEL_LIMIT,
  timelineWidth,
  timeX,
  titleOffsetAbove,
} from "./common.ts";

const PHASE_COLOURS = { domain: ["pending", "firing"], range: ["#f2b447", "#d62728"] };

export interface AlertsChartInput {
  intervals: AlertInterval[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
  rules: number;
}

export function alertsChart({ intervals, axis, faults, warmup, rules }: AlertsChartInput): Chart {
  const width = timelineWidth(intervals.map((i) => i.alert));
  return {
    id: "alerts",
    title: "Alerts against faults",
    explanation: explain(intervals, faults, rules),
    spec: {
      config: CONFIG,
      title: { text: "Alert states over time", offset: titleOffsetAbove(faults) },
      width,
      height: 18 * new Set(intervals.map((i) => i.alert)).size,
      layer: [
        ...bandLayers(faults, warmup, axis, "above", width),
        {
          data: { values: intervals },
          mark: { type: "bar", height: 12 },
          encoding: {
            x: timeX(axis, "start"),
            x2: { field: "end" },
            y: {
              field: "alert",
              type: "nominal",
              title: null,
              sort: null,
              axis: { labelLimit: ROW_LABEL_LIMIT },
            },
            color: { field: "phase", type: "nominal", title: "alert state", scale: PHASE_COLOURS },
          },
        },
      ],
    },
  };
}

function explain(intervals: AlertInterval[], faults: Band[], rules: number): string {
  const alerts = new Set(intervals.map((i) => i.alert)).size;
  const parts = [
    `The scenario defines ${rules} alert rule${rules === 1 ? "" : "s"}, evaluated at every scrape as Prometheus would.`,
    "An alert is pending (amber) while its condition holds but has not yet held for the rule's `for` duration, and firing (red) after that, until the condition clears.",
    `${alerts} alert instance${alerts === 1 ? "" : "s"} went pending or fired.`,
  ];
  if (faults.length > 0)
    parts.push(
      "Red bands are the injected faults: a good alert fires soon after a band starts, and nothing fires outside the bands.",
    );
  else parts.push("No fault was injected, so every alert that fired here is a false alarm.");
  return parts.join(" ");
}
