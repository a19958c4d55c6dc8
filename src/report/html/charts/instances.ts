// Chart: per-instance load share and utilisation, two bar charts side by side with one row per
// instance: the share of its service's calls each instance received (with a tick at the even
// split) and the fraction of its worker slots that were busy after the warm-up.
import type { InstanceRow } from "../data/chartRows.ts";
import { type Chart, CONFIG } from "./common.ts";

const ROW_PX = 15;

export function instancesChart(rows: InstanceRow[]): Chart {
  const shares = rows.filter((r) => r.share !== null);
  const services = [...new Set(rows.map((r) => r.service))];
  const instanceY = { field: "instance", type: "nominal" as const, title: null, sort: null };
  const colour = {
    field: "service",
    type: "nominal" as const,
    title: "service",
    scale: { scheme: "tableau10" },
    sort: services,
  };
  return {
    id: "instances",
    title: "Load share and utilisation per instance",
    explanation: explain(rows),
    spec: {
      config: CONFIG,
      spacing: 28,
      hconcat: [
        {
          title: "Share of its service's calls",
          width: 300,
          height: { step: ROW_PX },
          data: { values: shares },
          layer: [
            {
              mark: { type: "bar" },
              encoding: {
                y: instanceY,
                x: {
                  field: "share",
                  type: "quantitative",
                  title: "share of calls",
                  axis: { format: ".0%" },
                },
                color: colour,
              },
            },
            {
              mark: { type: "tick", color: "black", thickness: 2, size: ROW_PX - 2 },
              transform: [{ filter: "datum.evenShare != null" }],
              encoding: { y: instanceY, x: { field: "evenShare", type: "quantitative" } },
            },
          ],
        },
        {
          title: "Utilisation (busy worker slots)",
          width: 300,
          height: { step: ROW_PX },
          data: { values: rows },
          mark: { type: "bar" },
          encoding: {
            y: instanceY,
            x: {
              field: "utilization",
              type: "quantitative",
              title: "utilisation",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
            },
            color: colour,
          },
        },
      ],
    },
  };
}

function explain(rows: InstanceRow[]): string {
  const parts = [
    "Each row is one instance (one copy) of a service that served after the warm-up. On the left, the share of the calls to its service that the callers' sidecar proxies sent to it, retries included; the black tick marks a perfectly even split (none where the service's pods came and went).",
    "A bar far beyond its tick means the load balancer favoured that instance.",
    "On the right, the fraction of the instance's worker slots that were busy while it served after the warm-up: near 100% an instance queues requests and latency climbs steeply.",
  ];
  const busiest = [...rows].sort(
    (a, b) => b.utilization - a.utilization || (a.instance < b.instance ? -1 : 1),
  )[0];
  if (busiest !== undefined)
    parts.push(
      `The busiest instance was ${busiest.instance}, at ${(busiest.utilization * 100).toFixed(1)}%.`,
    );
  return parts.join(" ");
}
