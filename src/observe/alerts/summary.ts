// The `alerts` section of the run result: the rules as evaluated, every episode of every alert
// instance (the timeline), and against the fault timeline which alerts detected each fault and how
// fast, and which fired for none (attribution.ts). Plain data with a fixed key order.

import type { FaultRecord } from "../../faults/types.ts";
import { formatDuration } from "../../kernel/duration.ts";
import type { Alerting } from "./alerting.ts";
import { attribute, type Detection, type FalseAlarm } from "./attribution.ts";
import type { AlertRuleSpec, BurnRateRuleSpec } from "./types.ts";

export interface AlertsResult {
  /** For a burn-rate rule, expr describes its window pairs. */
  rules: {
    name: string;
    kind: "threshold" | "burn-rate";
    expr: string;
    forMs: number;
    severity: string;
  }[];
  /** One entry per episode, in time order of pendingAtMs (then rule order). */
  timeline: {
    alert: string;
    labels: Record<string, string>;
    pendingAtMs: number;
    firingAtMs: number | null;
    resolvedAtMs: number | null;
  }[];
  detection: Detection[];
  falseAlarms: FalseAlarm[];
}

export function summariseAlerts(alerting: Alerting, faults: readonly FaultRecord[]): AlertsResult {
  const { detection, falseAlarms } = attribute(faults, alerting.episodes);
  return {
    rules: alerting.rules.map((rule) => ({
      name: rule.name,
      kind: rule.kind,
      expr: rule.kind === "threshold" ? rule.expr : describeBurnRate(rule),
      forMs: rule.forMs,
      severity: severityOf(rule),
    })),
    timeline: alerting.episodes.map((e) => ({
      alert: e.alert,
      labels: { ...e.labels },
      pendingAtMs: e.pendingAtMs,
      firingAtMs: e.firingAtMs,
      resolvedAtMs: e.resolvedAtMs,
    })),
    detection,
    falseAlarms,
  };
}

/** A burn-rate rule's severity is its most urgent pair's: page if any pair pages. */
function severityOf(rule: AlertRuleSpec): string {
  if (rule.kind === "threshold") return rule.severity;
  return rule.slo.windows.some((w) => w.severity === "page") ? "page" : "ticket";
}

/** e.g. "availability of load shoppers, SLO 99.9%: burn rate > 14.4 over 1h and 5m (page), or > 6 over 6h and 30m (page)". */
export function describeBurnRate(rule: BurnRateRuleSpec): string {
  const { slo } = rule;
  const sli =
    slo.sli === "availability" ? "availability" : `latency ≤ ${formatDuration(slo.thresholdMs!)}`;
  const pairs = slo.windows
    .map(
      (w) =>
        `> ${w.burnRate} over ${formatDuration(w.longMs)} and ${formatDuration(w.shortMs)} (${w.severity})`,
    )
    .join(", or ");
  return `${sli} of ${slo.target.kind} ${slo.target.name}, SLO ${slo.objectivePercent}%: burn rate ${pairs}`;
}
