// The `alerts` section of the run result: the rules as evaluated, every episode of every alert
// instance (the timeline), and against the fault timeline which alerts detected each fault and how
// fast, and which fired for none (attribution.ts). Plain data with a fixed key order.

import { formatDuration } from "../../kernel/duration.ts";
import type { AlertsResult } from "../../result/alerts.ts";
import type { FaultRecord } from "../../result/run.ts";
import type { Alerting } from "./alerting.ts";
import { attribute } from "./attribution.ts";
import type { AlertRuleSpec, BurnRateRuleSpec } from "./types.ts";

export function summariseAlerts(alerting: Alerting, faults: readonly FaultRecord[]): AlertsResult {
  const { detection, falseAlarms } = attribute(faults, alerting.episodes);
  return {
    rules: alerting.rules.filter(isAlertRule).map((rule) => ({
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

function isAlertRule(rule: AlertRuleSpec): rule is Exclude<AlertRuleSpec, { kind: "record" }> {
  return rule.kind !== "record";
}

/** A burn-rate rule's severity is its most urgent pair's: page if any pair pages. */
function severityOf(rule: Exclude<AlertRuleSpec, { kind: "record" }>): string {
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
