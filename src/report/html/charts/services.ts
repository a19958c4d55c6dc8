// Chart: each service over time, four panels on one time axis, as a Grafana service dashboard
// shows them: latency at the service (p99 solid, p50 dashed, from the window quantiles), its
// utilisation (mean over the instances up), the calls queued for a worker slot and the calls in
// flight at its instances (summed). Where the bottleneck is, it is the one whose queue grows.
import type { TimeAxis } from "../data/chartRows.ts";
import { peakOf, type ServiceRow } from "../data/serviceRows.ts";
import type { Band } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  FEW_TICKS,
  innerTimeX,
  msText,
  timeText,
  timeX,
  valueScale,
  WIDTH,
} from "./common.ts";
import { figure, HOVER, withSeriesHover } from "./hover.ts";

export interface ServicesChartInput {
  latency: ServiceRow[];
  gauges: (ServiceRow & { gauge: string })[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
}

const PANEL_WIDTH = WIDTH - 120;

export function servicesChart({
  latency,
  gauges,
  axis,
  faults,
  warmup,
}: ServicesChartInput): Chart | null {
  const services = [...new Set(gauges.map((r) => r.service))];
  if (services.length === 0) return null;
  const colour = {
    field: "service",
    type: "nominal" as const,
    title: "service",
    scale: { domain: services, scheme: "tableau10" },
  };
  const scale = valueScale(latency.map((r) => r.value));
  const panel = (
    title: string,
    rows: object[],
    yTitle: string,
    y: object,
    extra: object = {},
    bottom = false,
  ) => ({
    title,
    width: PANEL_WIDTH,
    height: 110,
    layer: [
      ...bandLayers(faults, warmup, axis, "inside", PANEL_WIDTH, !bottom),
      {
        data: { values: rows },
        mark: { type: "line" as const, strokeWidth: 1.5 },
        encoding: {
          x: bottom ? timeX(axis) : innerTimeX(axis),
          y: {
            field: "value",
            type: "quantitative" as const,
            title: yTitle,
            ...y,
            axis: { ...FEW_TICKS, ...(y as { axis?: object }).axis },
          },
          color: colour,
          detail: { field: "series", type: "nominal" as const },
          ...HOVER,
          ...extra,
        },
      },
    ],
  });
  const gauge = (kind: string) => gauges.filter((r) => r.gauge === kind);
  const count = (v: number) => figure(v);
  return {
    id: "services",
    title: "Each service over time",
    explanation: explain(latency, gauges, axis),
    spec: {
      config: CONFIG,
      spacing: 18,
      vconcat: [
        panel(
          "Latency at the service (p99 solid, p50 dashed)",
          withSeriesHover(latency, msText, axis),
          `ms${scale.logNote}`,
          { scale: { type: scale.type } },
          {
            strokeDash: {
              field: "percentile",
              type: "nominal" as const,
              scale: {
                domain: ["p99", "p50"],
                range: [
                  [1, 0],
                  [4, 3],
                ],
              },
              legend: null,
            },
          },
        ),
        panel(
          "Utilisation (busy worker slots of the pods up)",
          withSeriesHover(gauge("utilisation"), (v) => `${(v * 100).toFixed(1)}%`, axis),
          "utilisation",
          { scale: { domain: [0, 1] }, axis: { format: ".0%" } },
        ),
        panel(
          "Calls queued for a worker slot",
          withSeriesHover(gauge("queue"), count, axis),
          "calls",
          {},
        ),
        panel(
          "Calls in flight",
          withSeriesHover(gauge("in flight"), count, axis),
          "calls",
          {},
          {},
          true,
        ),
      ],
    },
  };
}

/** The paragraph: how to read the panels, then the busiest service's own peaks. */
function explain(
  latency: ServiceRow[],
  gauges: (ServiceRow & { gauge: string })[],
  axis: TimeAxis,
): string {
  const parts = [
    "Each service's own figures at every scrape, so the bottleneck can be found without reading the JSON: the time calls spent at its instances (queue, work and their own downstream calls; p99 solid, p50 dashed), the fraction of the worker slots of its running pods that were busy, the calls waiting for a slot and the calls present at its instances.",
    "A service near 100% whose queue grows is the bottleneck; services upstream of it show the latency but not the utilisation.",
  ];
  const peaks = [...new Set(gauges.map((r) => r.service))].map((service) => ({
    service,
    utilisation: peakOf(gauges.filter((r) => r.service === service && r.gauge === "utilisation")),
  }));
  const busiest = peaks
    .filter((p) => p.utilisation !== null)
    .sort((a, b) => b.utilisation!.value! - a.utilisation!.value!)[0];
  if (busiest !== undefined) {
    const { service } = busiest;
    const u = busiest.utilisation!;
    const queue = peakOf(gauges.filter((r) => r.service === service && r.gauge === "queue"));
    const p99 = peakOf(latency.filter((r) => r.series === `${service} p99`));
    parts.push(
      `The busiest was ${service}: its utilisation peaked at ${(u.value! * 100).toFixed(1)}% at ${timeText(u.t, axis)}` +
        (queue !== null && queue.value! > 0
          ? `, with up to ${figure(queue.value!)} calls queued (at ${timeText(queue.t, axis)})`
          : ", with no call queued at any scrape") +
        (p99 !== null
          ? ` and its p99 at its worst ${msText(p99.value!)} (at ${timeText(p99.t, axis)}).`
          : "."),
    );
  }
  return parts.join(" ");
}
