// The tables report.html and report.md share, as plain text cells: the k6-style threshold
// verdicts, the summary per load and service, the faults, the state changes by kind, the alert
// rules with their detections and false alarms, and the critical path. Each renderer only lays
// them out (HTML escapes the cells; Markdown pipes them).

import type { LatencySummary } from "../../result/latency.ts";
import type { RunResult, ThresholdResult } from "../../result/run.ts";
import { alertLabel, stateChangeCounts } from "../html/data/timeline.ts";
import type { AlertsSection, CriticalPathRow } from "./optional.ts";
import { formatMs, latencyText, thresholdActualText } from "./summaryRows.ts";

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

/** Answers per second: whole above 100, else 3 significant figures (`586`, `58.6`, `0.900`). */
export function throughputText(perS: number): string {
  return perS === 0 ? "0" : perS >= 100 ? perS.toFixed(0) : perS.toPrecision(3);
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
      const actual = thresholdActualText(t);
      lines.push(`  ${t.ok ? "✓" : "✗"} '${t.expression}' ${aggregate}=${actual}`);
    }
  }
  return lines;
}

const OPERATOR_WORDS: Record<string, string> = {
  "<": "under",
  "<=": "at most",
  ">": "over",
  ">=": "at least",
  "==": "exactly",
  "!=": "other than",
};
const AGGREGATE_WORDS: Record<string, string> = {
  avg: "the mean latency",
  med: "the median latency",
  min: "the fastest request's latency",
  max: "the slowest request's latency",
};

/**
 * A k6 threshold in plain words, e.g. `p(99)<600ms` on latency: "99% of requests must get their
 * answer in under 600ms"; `rate<0.01` on errors: "under 1% of requests may fail". The metric's
 * load tag (`latency{load:shoppers}`) names the load.
 */
export function thresholdMeaning(t: Pick<ThresholdResult, "metric" | "expression">): string {
  const match = /^\s*([a-z]+(?:\(([\d.]+)\))?)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/.exec(t.expression);
  const load = /\{load:([^}]+)\}/.exec(t.metric)?.[1];
  const of = load === undefined ? "requests" : `requests of the load ${load}`;
  if (match === null) return `${t.expression} must hold for ${of}`;
  const [, aggregate, percentile, operator, value] = match;
  const words = OPERATOR_WORDS[operator];
  if (t.metric.startsWith("errors")) {
    const percent = `${Number((Number(value) * 100).toPrecision(3))}%`;
    return `the share of ${of} that fail must be ${words} ${percent}`;
  }
  if (percentile !== undefined)
    return `${percentile}% of ${of} must get their answer in ${words} ${value}`;
  return `${AGGREGATE_WORDS[aggregate] ?? aggregate} of ${of} must be ${words} ${value}`;
}

/**
 * The summary, one table for the terminal, report.md and report.html: one row per load (end to
 * end: `requests` offered, `errors` failed) and per service (time at its instances: `requests`
 * answered, `errors` answered with an error), throughput after the warm-up, utilisation over the
 * serving pods' worker time, and latencies to the histogram's precision ("—" where none completed).
 * A `pods` column (fewest to most serving) appears when some service's pods came and went.
 */
export function summaryTable(result: RunResult): TextTable {
  const services = Object.entries(result.services);
  const podsVary = services.some(([, s]) => s.pods !== undefined && s.pods.min !== s.pods.max);
  const columns = [
    text("kind"),
    text("name"),
    num("requests"),
    num("errors"),
    num("error rate"),
    num("throughput req/s"),
    num("utilisation"),
    ...(podsVary ? [num("pods")] : []),
    num("mean ms"),
    num("p50 ms"),
    num("p90 ms"),
    num("p99 ms"),
    num("p99.9 ms"),
    num("max ms"),
  ];
  const latency = (l: LatencySummary, completed: number) =>
    [l.mean, l.p50, l.p90, l.p99, l.p999, l.max].map((ms) => latencyText(ms, completed));
  const rows: string[][] = [];
  for (const [name, l] of Object.entries(result.load)) {
    const finished = l.completed + l.failed;
    rows.push([
      "load",
      name,
      groupThousands(l.offered),
      groupThousands(l.failed),
      percentText(finished > 0 ? l.failed / finished : 0),
      throughputText(l.throughputPerS),
      "",
      ...(podsVary ? [""] : []),
      ...latency(l.latencyMs, l.completed),
    ]);
  }
  for (const [name, s] of services) {
    const pods =
      s.pods === undefined
        ? ""
        : s.pods.min === s.pods.max
          ? String(s.pods.max)
          : `${s.pods.min}–${s.pods.max}`;
    rows.push([
      "service",
      name,
      groupThousands(s.requests),
      groupThousands(s.errors),
      percentText(s.requests > 0 ? s.errors / s.requests : 0),
      throughputText(s.throughputPerS),
      percentText(s.utilization),
      ...(podsVary ? [pods] : []),
      ...latency(s.latencyMs, s.requests),
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
