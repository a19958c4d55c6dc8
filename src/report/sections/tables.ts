// The tables report.html and report.md share, as plain text cells: the k6-style threshold
// verdicts, the summary per load and service, the faults, the state changes by kind, the alert
// rules with their detections and false alarms, and the critical path. Each renderer only lays
// them out (HTML escapes the cells; Markdown pipes them).
import type { RunResult } from "../../result/run.ts";
import { alertLabel, stateChangeCounts } from "../html/data/timeline.ts";
import type { AlertsSection, CriticalPathRow } from "./optional.ts";
import { formatMs } from "./summaryRows.ts";

export interface Column {
  title: string;
  numeric?: boolean;
}

export interface TextTable {
  columns: Column[];
  rows: string[][];
}

const num = (title: string): Column => ({ title, numeric: true });
const text = (title: string): Column => ({ title });

/** 1234567 as `1,234,567` (fixed, not the machine's locale). */
export function groupThousands(n: number): string {
  const [whole, fraction] = String(n).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function percentText(x: number): string {
  if (x === 0) return "0%";
  return `${(x * 100).toFixed(x < 0.001 ? 3 : x < 0.1 ? 2 : 1)}%`;
}

/** Simulated ms as seconds with at most 3 decimals: `120`, `120.175`. */
export function secondsText(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/**
 * The threshold verdicts grouped by metric, as k6's end-of-test summary prints them:
 * the metric, then `✓ 'p(99)<600ms' p(99)=361ms` for each of its thresholds.
 */
export function thresholdVerdictLines(result: RunResult): string[] {
  const lines: string[] = [];
  const metrics = [...new Set(result.thresholds.map((t) => t.metric))];
  for (const metric of metrics) {
    lines.push(metric);
    for (const t of result.thresholds.filter((x) => x.metric === metric)) {
      const aggregate = /^(?:p\([^)]*\)|[a-z]+)/.exec(t.expression)?.[0] ?? "value";
      const actual = metric.startsWith("errors")
        ? percentText(t.actual)
        : `${Number(t.actual.toPrecision(4))}ms`;
      lines.push(`  ${t.ok ? "✓" : "✗"} '${t.expression}' ${aggregate}=${actual}`);
    }
  }
  return lines;
}

/** One row per load (end to end) and per service (time at its instances). */
export function summaryTable(result: RunResult): TextTable {
  const columns = [
    text(""),
    text("name"),
    num("requests"),
    num("errors"),
    num("error rate"),
    num("throughput req/s"),
    num("utilisation"),
    num("mean ms"),
    num("p50 ms"),
    num("p90 ms"),
    num("p99 ms"),
    num("max ms"),
  ];
  const rows: string[][] = [];
  for (const [name, l] of Object.entries(result.load)) {
    const finished = l.completed + l.failed;
    const latency = [
      l.latencyMs.mean,
      l.latencyMs.p50,
      l.latencyMs.p90,
      l.latencyMs.p99,
      l.latencyMs.max,
    ].map(formatMs);
    rows.push([
      "load",
      name,
      groupThousands(l.offered),
      groupThousands(l.failed),
      percentText(finished > 0 ? l.failed / finished : 0),
      String(l.throughputPerS),
      "",
      ...latency,
    ]);
  }
  for (const [name, s] of Object.entries(result.services)) {
    const latency = [
      s.latencyMs.mean,
      s.latencyMs.p50,
      s.latencyMs.p90,
      s.latencyMs.p99,
      s.latencyMs.max,
    ].map(formatMs);
    const rate = percentText(s.requests > 0 ? s.errors / s.requests : 0);
    rows.push([
      "service",
      name,
      groupThousands(s.requests),
      groupThousands(s.errors),
      rate,
      String(s.throughputPerS),
      percentText(s.utilization),
      ...latency,
    ]);
  }
  return { columns, rows };
}

export function faultTable(result: RunResult): TextTable {
  return {
    columns: [text("fault"), text("kind"), text("targets"), num("start s"), num("end s")],
    rows: result.faults.map((f) => [
      f.name,
      f.kind,
      f.targets.join(", "),
      secondsText(f.startMs),
      f.endMs === null ? "end of run" : secondsText(f.endMs),
    ]),
  };
}

export function stateChangeTable(result: RunResult): TextTable {
  return {
    columns: [text("component"), text("transition"), num("count")],
    rows: stateChangeCounts(result).map((c) => [c.kind, c.transition, String(c.count)]),
  };
}

export function alertRulesTable(alerts: AlertsSection): TextTable {
  return {
    columns: [text("rule"), text("kind"), text("expression"), num("for s"), text("severity")],
    rows: alerts.rules.map((r) => [r.name, r.kind, r.expr, secondsText(r.forMs), r.severity]),
  };
}

/** One row per fault and alert that fired for it (or one "not detected" row): the detection delay. */
export function detectionTable(alerts: AlertsSection): TextTable {
  const rows = alerts.detection.flatMap((d) => {
    const head = [d.fault, d.kind, secondsText(d.startMs)];
    if (d.alerts.length === 0) return [[...head, "not detected", "", ""]];
    return d.alerts.map((a) => [
      ...head,
      a.alert,
      secondsText(a.firingAtMs),
      secondsText(a.delayMs),
    ]);
  });
  return {
    columns: [
      text("fault"),
      text("kind"),
      num("start s"),
      text("alert"),
      num("fired at s"),
      num("delay s"),
    ],
    rows,
  };
}

export function falseAlarmTable(alerts: AlertsSection): TextTable {
  return {
    columns: [text("alert"), num("fired at s"), num("resolved at s")],
    rows: alerts.falseAlarms.map((a) => [
      alertLabel(a.alert, a.labels),
      secondsText(a.firingAtMs),
      a.resolvedAtMs === null ? "still firing" : secondsText(a.resolvedAtMs),
    ]),
  };
}

export function criticalPathTable(rows: CriticalPathRow[]): TextTable {
  return {
    columns: [
      text("load"),
      text("part"),
      num("share"),
      num("mean ms"),
      num("p50 ms"),
      num("p99 ms"),
    ],
    rows: rows.map((r) => [
      r.load,
      r.part,
      percentText(r.share),
      formatMs(r.meanMs),
      formatMs(r.p50Ms),
      formatMs(r.p99Ms),
    ]),
  };
}
