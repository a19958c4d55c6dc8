// Alert rules as the rest of meshsim sees them: typed and defaulted by scenario/resolve/alerts.ts,
// times in simulated ms. Two kinds, as Prometheus alerting rules write them: a threshold rule (a
// PromQL expression ending in a comparison, with `for` and `keep_firing_for`), and the SRE
// workbook's multiwindow, multi-burn-rate rule on an SLO. Leaves out rule groups, labels and
// annotations.
import type { AlertExpr } from "./promql/ast.ts";

export type Severity = "page" | "ticket";

interface RuleCommon {
  /** Unique within the scenario (Prometheus' alertname). */
  name: string;
  /** How long the condition must hold before the alert fires (Prometheus `for`); 0 fires at once. */
  forMs: number;
  /** How long a firing alert keeps firing after its condition stops holding (Prometheus `keep_firing_for`). */
  keepFiringForMs: number;
}

export interface ThresholdRuleSpec extends RuleCommon {
  kind: "threshold";
  /** The expression as written, for reports. */
  expr: string;
  /** The parsed, checked expression. */
  ast: AlertExpr;
  severity: Severity;
}

/** One pair of the SRE workbook's table 5-8: alert when both windows burn faster than `burnRate`. */
export interface BurnWindowSpec {
  longMs: number;
  shortMs: number;
  burnRate: number;
  severity: Severity;
}

export interface SloSpec {
  /** What the SLO is about: one load's end-user requests, or the calls one service answers. */
  target: { kind: "load" | "service"; name: string };
  /** The SLO in percent, e.g. 99.9. */
  objectivePercent: number;
  /** The error budget as a fraction: 1 − objective (0.001 for 99.9%). */
  budget: number;
  /** availability: failures are bad; latency: failures and requests slower than `thresholdMs` are bad. */
  sli: "availability" | "latency";
  /** Latency SLIs: a bucket bound of monitoring.buckets, in ms; null for availability. */
  thresholdMs: number | null;
  windows: BurnWindowSpec[];
}

export interface BurnRateRuleSpec extends RuleCommon {
  kind: "burn-rate";
  slo: SloSpec;
}

export type AlertRuleSpec = ThresholdRuleSpec | BurnRateRuleSpec;
