// Chart: throughput, errors and rejections over time, two panels on one time axis. Above, the
// end-user requests per second offered, completed and failed (a k6 http_reqs rate); below, the
// failures by HTTP status and the sidecars' rejections, timeouts and retries per second, on
// their own scale, since they are usually a small fraction of the traffic.
import type { LineRow, TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";
import { bandLayers, type Chart, CONFIG, msText, timeX, WIDTH } from "./common.ts";
import { figure, HOVER, withSeriesHover } from "./hover.ts";

const TRAFFIC_COLOURS = {
  domain: ["offered", "completed", "failed"],
  range: ["#7f7f7f", "#4c78a8", "#d62728"],
};
// Offered is dashed, so it stays visible where completed runs along it.
const TRAFFIC_DASHES = {
  domain: ["offered", "completed", "failed"],
  range: [
    [5, 3],
    [1, 0],
    [1, 0],
  ],
};

export interface TrafficChartInput {
  throughput: LineRow[];
  problems: LineRow[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
  stepMs: number;
}

export function trafficChart({
  throughput,
  problems,
  axis,
  faults,
  warmup,
  stepMs,
}: TrafficChartInput): Chart {
  const problemNames = [...new Set(problems.map((r) => r.series))];
  const panel = (
    rows: LineRow[],
    title: string,
    yTitle: string,
    colour: object,
    legendTitle: string,
    dashes: object | null,
  ) => ({
    title,
    width: WIDTH,
    height: 170,
    layer: [
      ...bandLayers(faults, warmup, axis),
      {
        data: { values: withSeriesHover(rows, (v) => `${figure(v)}/s`, axis) },
        mark: { type: "line" as const, strokeWidth: 1.6, interpolate: "step-before" as const },
        encoding: {
          ...HOVER,
          x: timeX(axis),
          y: { field: "value", type: "quantitative" as const, title: yTitle },
          color: {
            field: "series",
            type: "nominal" as const,
            title: legendTitle,
            scale: colour,
            sort: null,
          },
          ...(dashes === null
            ? {}
            : {
                strokeDash: {
                  field: "series",
                  type: "nominal" as const,
                  scale: dashes,
                  legend: null,
                },
              }),
        },
      },
    ],
  });
  return {
    id: "traffic",
    title: "Throughput, errors and rejections over time",
    explanation: explain(problemNames, faults, stepMs),
    spec: {
      config: CONFIG,
      spacing: 24,
      resolve: { scale: { color: "independent" } },
      vconcat: [
        panel(
          throughput,
          "End-user requests",
          "requests per second",
          TRAFFIC_COLOURS,
          "requests",
          TRAFFIC_DASHES,
        ),
        panel(
          problems,
          "Failures, rejections, timeouts and retries",
          "events per second",
          { scheme: "tableau10" },
          "event",
          null,
        ),
      ],
    },
  };
}

function explain(problemNames: string[], faults: Band[], stepMs: number): string {
  const parts = [
    `The upper panel counts end-user requests per second, averaged over each ${msText(stepMs)} step: how many the load offered, how many completed successfully, and how many failed.`,
    "When the system keeps up, completed follows offered closely.",
    "The lower panel zooms in on what went wrong, on its own scale: failed end-user requests by HTTP status (500 an error, 503 unavailable, 504 a timeout), and, inside the system, the calls the sidecar proxies refused (breaker open, rate limited, connection pool overflow, no healthy upstream), the calls they gave up on (timeouts) and the calls they tried again (retries).",
  ];
  const onlyZero = problemNames.length === 1 && problemNames[0] === "failed";
  if (onlyZero)
    parts.push(
      "Nothing failed and no proxy refused, timed out or retried a call in this run, so it shows a flat line at 0.",
    );
  else
    parts.push(`Lines that stay at zero are left out; this run shows: ${problemNames.join(", ")}.`);
  if (faults.length > 0) parts.push("Red bands mark the injected faults.");
  return parts.join(" ");
}
