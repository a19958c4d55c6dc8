// The per-service views as a table, for report.md and under the charts of report.html: each
// service's worst scraped window and when, from the scraped series (html/data/serviceRows.ts):
// its p99 at the service, its utilisation over the pods up, the calls queued and in flight.
import type { RunResult } from "../../result/run.ts";
import { metricsOf, timeAxis } from "../html/data/chartRows.ts";
import {
  peakOf,
  podServing,
  type ServiceRow,
  serviceGaugeRows,
  serviceLatencyRows,
} from "../html/data/serviceRows.ts";
import { formatMs } from "./summaryRows.ts";
import type { TextTable } from "./tables.ts";

/** One row per scraped service; null for a result without time series. */
export function serviceTrendTable(result: RunResult): TextTable | null {
  const metrics = metricsOf(result);
  if (metrics === null) return null;
  const axis = timeAxis(result.simulatedMs);
  const latency = serviceLatencyRows(metrics, axis);
  const gauges = serviceGaugeRows(metrics, axis, podServing(result.stateChanges));
  const services = [...new Set(gauges.map((r) => r.service))];
  if (services.length === 0) return null;
  const at = (row: ServiceRow | null, text: (v: number) => string) =>
    row === null ? "—" : `${text(row.value!)} at ${Number(row.t.toPrecision(4))} ${axis.unit}`;
  const peak = (service: string, gauge: string) =>
    peakOf(gauges.filter((r) => r.service === service && r.gauge === gauge));
  return {
    columns: [
      { title: "service" },
      { title: "worst p99 ms", numeric: true },
      { title: "peak utilisation", numeric: true },
      { title: "most queued", numeric: true },
      { title: "most in flight", numeric: true },
    ],
    rows: services.map((service) => [
      service,
      at(peakOf(latency.filter((r) => r.series === `${service} p99`)), (v) => formatMs(v)),
      at(peak(service, "utilisation"), (v) => `${(v * 100).toFixed(1)}%`),
      at(peak(service, "queue"), (v) => String(v)),
      at(peak(service, "in flight"), (v) => String(v)),
    ]),
  };
}

export const SERVICE_TRENDS_TEXT =
  "Each service's worst scrape window: the highest p99 of the time calls spent at its instances, the highest utilisation of the worker slots of its pods up, and the most calls queued for a slot and present at its instances (summed over them), with when each happened (simulated time).";
