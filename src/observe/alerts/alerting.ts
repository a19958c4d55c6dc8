// The rule evaluator: a scrape listener that evaluates every rule at every scrape tick, right
// after the scrape and at its timestamp. So Prometheus' evaluation_interval is the scrape interval
// here, and rules always see the sample just taken (a live Prometheus evaluates up to one interval
// later, on its own clock). Each rule's result is a set of label sets that hold; each label set is
// an alert instance with its own state (alertState.ts). Rules are evaluated in file order.
import type { ScrapeListener } from "../metrics/monitor.ts";
import type { SeriesStore } from "../metrics/seriesStore.ts";
import { AlertInstance, type Episode } from "./alertState.ts";
import { BurnRateCondition } from "./burnRate.ts";
import { SampleHistory } from "./history.ts";
import type { AlertExpr, ComparisonOp, Expr } from "./promql/ast.ts";
import { Evaluator, keyOf, type LabelSet } from "./promql/evaluate.ts";
import type { AlertRuleSpec } from "./types.ts";

interface RuleRuntime {
  spec: AlertRuleSpec;
  /** Live instances by label-set key; an instance is dropped once inactive. */
  instances: Map<string, AlertInstance>;
  burn: BurnRateCondition | null;
}

export class Alerting implements ScrapeListener {
  /** Every episode of every instance, in the order they began (time, then rule order, then series order). */
  readonly episodes: Episode[] = [];
  private readonly history: SampleHistory;
  private readonly runtimes: RuleRuntime[];
  private evaluator: Evaluator | null = null;

  constructor(readonly rules: readonly AlertRuleSpec[]) {
    this.history = new SampleHistory(Math.max(0, ...rules.map(longestRange)));
    this.runtimes = rules.map((spec) => ({
      spec,
      instances: new Map(),
      burn: spec.kind === "burn-rate" ? new BurnRateCondition(spec.slo) : null,
    }));
  }

  onScrape(atMs: number, store: SeriesStore): void {
    if (this.rules.length === 0) return;
    this.history.record(atMs, store.series);
    this.evaluator ??= new Evaluator(store, this.history);
    for (const runtime of this.runtimes)
      this.step(runtime, this.holding(runtime, this.evaluator, atMs), atMs);
  }

  /** The label sets for which the rule's condition holds now, in a deterministic order. */
  private holding(runtime: RuleRuntime, evaluator: Evaluator, nowMs: number): LabelSet[] {
    const spec = runtime.spec;
    if (spec.kind === "threshold") return thresholdHolding(spec.ast, evaluator, nowMs);
    const { target } = spec.slo;
    return runtime.burn!.firing(evaluator, nowMs).map(
      (severity): LabelSet => [
        [target.kind, target.name],
        ["severity", severity],
      ],
    );
  }

  private step(runtime: RuleRuntime, holding: LabelSet[], nowMs: number): void {
    const seen = new Set<string>();
    for (const labels of holding) {
      const key = keyOf(labels);
      seen.add(key);
      let instance = runtime.instances.get(key);
      if (instance === undefined) {
        instance = new AlertInstance(runtime.spec, Object.fromEntries(labels), (episode) =>
          this.episodes.push(episode),
        );
        runtime.instances.set(key, instance);
      }
      instance.evaluate(true, nowMs);
    }
    for (const [key, instance] of runtime.instances) {
      if (seen.has(key)) continue;
      instance.evaluate(false, nowMs);
      if (instance.state === "inactive") runtime.instances.delete(key);
    }
  }
}

function thresholdHolding(alert: AlertExpr, evaluator: Evaluator, nowMs: number): LabelSet[] {
  const value = evaluator.evaluate(alert.body, nowMs);
  if (typeof value === "number") return [];
  return value.filter((s) => compare(alert.op, s.value, alert.threshold)).map((s) => s.labels);
}

function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

/** How far back the rule reads: its longest range or window. */
function longestRange(rule: AlertRuleSpec): number {
  if (rule.kind === "burn-rate")
    return Math.max(...rule.slo.windows.map((w) => Math.max(w.longMs, w.shortMs)));
  return rangesOf(rule.ast.body);
}

function rangesOf(expr: Expr): number {
  switch (expr.kind) {
    case "range-call":
      return expr.rangeMs;
    case "number":
    case "selector":
      return 0;
    case "negate":
    case "histogram-quantile":
    case "aggregate":
      return rangesOf(expr.arg);
    case "binary":
      return Math.max(rangesOf(expr.left), rangesOf(expr.right));
  }
}
