// The rows of the run summary, shared by the terminal table and the Markdown report: one row per
// load (end to end) and one per service (time at its instances), latencies in milliseconds.

import type { LatencySummary } from "../../result/latency.ts";
import type { RunResult } from "../../result/run.ts";

export const summaryHeader = [
  "",
  "name",
  "requests",
  "errors",
  "util",
  "mean ms",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "p99.9 ms",
  "max ms",
];

export function summaryRows(result: RunResult): string[][] {
  const rows: string[][] = [];
  for (const [name, load] of Object.entries(result.load)) {
    const finished = load.completed + load.failed;
    const errors = finished > 0 ? `${load.failed} (${percent(load.failed / finished)})` : "0";
    rows.push(["load", name, String(load.offered), errors, "", ...latencyCells(load.latencyMs)]);
  }
  for (const [name, service] of Object.entries(result.services)) {
    const errors =
      service.requests > 0
        ? `${service.errors} (${percent(service.errors / service.requests)})`
        : "0";
    rows.push([
      "service",
      name,
      String(service.requests),
      errors,
      percent(service.utilization),
      ...latencyCells(service.latencyMs),
    ]);
  }
  return rows;
}

export function thresholdLines(result: RunResult): string[] {
  return result.thresholds.map(
    (t) => `${t.ok ? "✓" : "✗"} ${t.metric}: ${t.expression} (actual ${t.actual})`,
  );
}

function latencyCells(l: LatencySummary): string[] {
  return [l.mean, l.p50, l.p90, l.p99, l.p999, l.max].map(formatMs);
}

export function formatMs(ms: number): string {
  if (ms === 0) return "0";
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toPrecision(3);
}

function percent(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`;
}
