// Chart: the per-instance view of utilisation over time, one small panel per service with two or
// more instances: the busiest and the least busy instance over the run drawn as lines, every other
// instance inside a grey band from the lowest to the highest of them at each scrape, as a
// Grafana per-pod panel is read (is one pod hot, or all of them?).
import type { TimeAxis } from "../data/chartRows.ts";
import type { InstanceSpread } from "../data/serviceRows.ts";
import type { Band } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  FEW_TICKS,
  innerTimeX,
  timeText,
  timeX,
  WIDTH,
} from "./common.ts";
import { HOVER, withSeriesHover } from "./hover.ts";

const PANEL_WIDTH = WIDTH - 140;
const ROLE_COLOURS = { domain: ["busiest", "least busy"], range: ["#e45756", "#4c78a8"] };
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

export interface InstanceSpreadInput {
  spreads: InstanceSpread[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
}

export function instanceSpreadChart({
  spreads,
  axis,
  faults,
  warmup,
}: InstanceSpreadInput): Chart | null {
  if (spreads.length === 0) return null;
  const y = {
    field: "value",
    type: "quantitative" as const,
    title: "utilisation",
    scale: { domain: [0, 1] },
    axis: { format: ".0%", ...FEW_TICKS },
  };
  const panels = spreads.map((s, k) => ({
    title: `${s.service}: ${s.busiest} busiest, ${s.leastBusy} least busy${s.others > 0 ? `, ${s.others} other${s.others === 1 ? "" : "s"} in the band` : ""}`,
    width: PANEL_WIDTH,
    height: 80,
    layer: [
      ...bandLayers(faults, warmup, axis, "inside", PANEL_WIDTH, k < spreads.length - 1),
      // A band needs two scrapes to have an area (the others up at one scrape only draw nothing).
      ...(s.band.length < 2
        ? []
        : [
            {
              data: {
                values: s.band.map((b) => ({
                  ...b,
                  hover: `${s.service}, the ${s.others} other instance${s.others === 1 ? "" : "s"} at ${timeText(b.t, axis)}: ${percent(b.low)} to ${percent(b.high)}`,
                })),
              },
              mark: { type: "area" as const, color: "#bbbbbb", opacity: 0.5 },
              encoding: {
                x: k === spreads.length - 1 ? timeX(axis) : innerTimeX(axis),
                y: { ...y, field: "low" },
                y2: { field: "high" },
                ...HOVER,
              },
            },
          ]),
      {
        data: {
          values: withSeriesHover(s.lines, percent, axis).map((r) => ({
            ...r,
            role: r.series.startsWith("busiest") ? "busiest" : "least busy",
          })),
        },
        mark: { type: "line" as const, strokeWidth: 1.5 },
        encoding: {
          x: k === spreads.length - 1 ? timeX(axis) : innerTimeX(axis),
          y,
          color: {
            field: "role",
            type: "nominal" as const,
            title: "instance",
            scale: ROLE_COLOURS,
          },
          ...HOVER,
        },
      },
    ],
  }));
  return {
    id: "instance-spread",
    title: "Utilisation per instance over time",
    explanation: explain(spreads),
    spec: { config: CONFIG, spacing: 14, vconcat: panels },
  };
}

function explain(spreads: InstanceSpread[]): string {
  const parts = [
    "For each service with two or more instances, the fraction of each instance's worker slots that were busy at every scrape: the busiest instance over the run (red) and the least busy (blue) as lines, and the others inside the grey band, from the lowest to the highest of them at each scrape (hover over the band for its figures).",
    "Lines far apart mean the balancer, a slow host or a fault loaded one instance more than the others; a band that hugs both lines means the load was spread evenly.",
  ];
  const widest = spreads
    .map((s) => {
      const gaps = new Map<number, number>();
      for (const r of s.lines)
        if (r.value !== null)
          gaps.set(
            r.t,
            r.series.startsWith("busiest")
              ? (gaps.get(r.t) ?? 0) + r.value
              : (gaps.get(r.t) ?? 0) - r.value,
          );
      const mean = [...gaps.values()].reduce((a, b) => a + b, 0) / Math.max(1, gaps.size);
      return { s, mean };
    })
    .sort((a, b) => b.mean - a.mean)[0];
  if (widest !== undefined)
    parts.push(
      `The widest spread was in ${widest.s.service}: ${widest.s.busiest} ran on average ${(widest.mean * 100).toFixed(1)} points of utilisation above ${widest.s.leastBusy}.`,
    );
  return parts.join(" ");
}
