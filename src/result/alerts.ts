// The run result's `alerts`: the rules as evaluated, every episode of every alert instance (the
// timeline), and against the fault timeline which alerts detected each fault and how fast, and
// which fired for none (observe/alerts/attribution.ts). Types only, with a fixed key order.

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

export interface Detection {
  fault: string;
  kind: string;
  startMs: number;
  endMs: number | null;
  /** The first firing of each alert attributed to the fault, in firing order. */
  alerts: { alert: string; firingAtMs: number; delayMs: number }[];
}

export interface FalseAlarm {
  alert: string;
  labels: Record<string, string>;
  firingAtMs: number;
  resolvedAtMs: number | null;
}
