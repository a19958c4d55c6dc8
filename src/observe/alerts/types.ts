// Rules as the rest of meshsim sees them: typed and defaulted by scenario/resolve/alerts.ts, times in simulated ms,
// in evaluation order. Three kinds: a Prometheus alerting rule (a PromQL expression, every series
// it gives an alert, with `for`, `keep_firing_for` and labels), a Prometheus recording rule (its
// series written back for later rules to read), and the SRE workbook's multiwindow, multi-burn-rate
// rule on an SLO. Annotations are accepted and not evaluated (templates are left out).
import type { Expr } from "./promql/ast.ts";

export type Severity = "page" | "ticket";

interface RuleCommon {
  /** Unique within the scenario (Prometheus' alertname). */
  name: string;
  /** How long the condition must hold before the alert fires (Prometheus `for`); 0 fires at once. */
  forMs: number;
  /** How long a firing alert keeps firing after its condition stops holding (Prometheus `keep_firing_for`). */
  keepFiringForMs: number;
}

/** How often a rule is evaluated: every `everyTicks`-th scrape (its group's interval; 1: every scrape). */
interface Scheduled {
  everyTicks: number;
}

export interface ThresholdRuleSpec extends RuleCommon, Scheduled {
  kind: "threshold";
  /** The expression as written, for reports. */
  expr: string;
  /** The parsed, checked expression: every series it gives is a firing (or pending) alert. */
  ast: Expr;
  /** page or ticket for meshsim's own rules; a rule file's `severity` label, or "none". */
  severity: string;
  /** Labels added to every alert of the rule (Prometheus `labels`; they win over the series'). */
  labels: Record<string, string>;
}

/** A Prometheus recording rule: its expression's series, renamed `name`, with `labels` added. */
export interface RecordingRuleSpec extends Scheduled {
  kind: "record";
  name: string;
  expr: string;
  ast: Expr;
  labels: Record<string, string>;
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

export type AlertRuleSpec = ThresholdRuleSpec | BurnRateRuleSpec | RecordingRuleSpec;
