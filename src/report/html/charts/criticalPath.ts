// Chart: the critical-path breakdown (Jaeger's critical-path view, aggregated): for each service,
// the network and sidecars, and the load client, its share of the end-to-end latency of the
// completed requests, i.e. where the time a user waited was spent.
import type { CriticalPathRow } from "../../sections/optional.ts";
import { type Chart, CONFIG, msText, WIDTH } from "./common.ts";

export function criticalPathChart(rows: CriticalPathRow[]): Chart {
  const loads = [...new Set(rows.map((r) => r.load))];
  const sorted = [...rows].sort((a, b) =>
    a.load < b.load ? -1 : a.load > b.load ? 1 : b.share - a.share,
  );
  const parts = [...new Set(sorted.map((r) => r.part))];
  const y = { field: "part", type: "nominal" as const, title: null, sort: parts };
  const values = sorted.map((r) => ({
    ...r,
    label: `${(r.share * 100).toFixed(1)}% · mean ${msText(r.meanMs)}`,
  }));
  return {
    id: "critical-path",
    title: "Where the time goes: critical-path breakdown",
    explanation: explain(sorted, loads),
    spec: {
      config: CONFIG,
      width: WIDTH - 140,
      height: { step: loads.length > 1 ? 12 * loads.length : 20 },
      data: { values },
      layer: [
        {
          mark: { type: "bar", color: "#4c78a8" },
          encoding: {
            y,
            x: {
              field: "share",
              type: "quantitative",
              title: "share of end-to-end latency",
              axis: { format: ".0%" },
            },
            ...(loads.length > 1
              ? {
                  yOffset: { field: "load" },
                  color: { field: "load", type: "nominal", title: "load" },
                }
              : {}),
          },
        },
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
          encoding: {
            y,
            x: { field: "share", type: "quantitative" },
            text: { field: "label" },
            ...(loads.length > 1 ? { yOffset: { field: "load" } } : {}),
          },
        },
      ],
    },
  };
}

function explain(rows: CriticalPathRow[], loads: string[]): string {
  const top = rows[0];
  const parts = [
    "A request's critical path is the chain of calls that decided how long it took: when calls run in parallel, only the slowest of them is on it.",
    "Each bar is the share of the total end-to-end time (of the completed, traced requests) spent in that service's own work and queueing, in the network and sidecar proxies between services, or in the load client (waiting between retries).",
    "The longest bar is where speeding things up pays most.",
  ];
  if (top !== undefined && loads.length === 1)
    parts.push(`Here that is ${top.part}, with ${(top.share * 100).toFixed(1)}% of the time.`);
  return parts.join(" ");
}
