// The rule evaluator: a scrape listener that evaluates the rules at every scrape tick (a group with
// a longer interval, every k-th), right after the scrape and at its timestamp. So Prometheus'
// evaluation_interval is the scrape interval here, and rules always see the sample just taken (a
// live Prometheus evaluates up to one interval later, on its own clock). Rules run in file order:
// a recording rule's series are written at the tick, for the rules after it and for later ticks
// to read; an alerting rule's series are its alert instances (labels: the series' without the
// metric name, plus the rule's), each with its own state (alertState.ts).
import type { ScrapeListener } from "../metrics/monitor.ts";
import type { SeriesStore } from "../metrics/seriesStore.ts";
import { AlertInstance, type Episode } from "./alertState.ts";
import { BurnRateCondition } from "./burnRate.ts";
import { compareText, type LabelSet, labelKey, SampleHistory } from "./history.ts";
import type { Expr } from "./promql/ast.ts";
import { Evaluator } from "./promql/evaluate.ts";
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
  private readonly evaluator: Evaluator;
  private ticks = 0;

  constructor(
    readonly rules: readonly AlertRuleSpec[],
    scrapeIntervalMs = 15_000,
  ) {
    this.history = new SampleHistory(
      Math.max(0, ...rules.map((rule) => reachOf(rule, scrapeIntervalMs))),
    );
    this.evaluator = new Evaluator(this.history, scrapeIntervalMs);
    this.runtimes = rules.map((spec) => ({
      spec,
      instances: new Map(),
      burn: spec.kind === "burn-rate" ? new BurnRateCondition(spec.slo) : null,
    }));
  }

  onScrape(atMs: number, store: SeriesStore): void {
    if (this.rules.length === 0) return;
    this.ticks++;
    this.history.record(atMs, store.series);
    for (const runtime of this.runtimes) {
      const spec = runtime.spec;
      if (spec.kind !== "burn-rate" && this.ticks % spec.everyTicks !== 0) continue;
      if (spec.kind === "record") this.record(spec.ast, spec.name, spec.labels, atMs);
      else this.step(runtime, this.holding(runtime, atMs), atMs);
    }
  }

  private record(ast: Expr, name: string, labels: Record<string, string>, nowMs: number): void {
    const seen = new Set<string>();
    for (const sample of this.evaluator.vectorAt(ast, nowMs)) {
      const set = withRuleLabels(sample.labels, labels, name);
      const key = labelKey(set);
      if (seen.has(key)) continue; // Prometheus refuses duplicate label sets; keep the first
      seen.add(key);
      this.history.setRecorded(set, sample.value);
    }
  }

  /** The label sets for which the rule's condition holds now, in a deterministic order. */
  private holding(runtime: RuleRuntime, nowMs: number): LabelSet[] {
    const spec = runtime.spec;
    if (spec.kind === "threshold")
      return this.evaluator
        .vectorAt(spec.ast, nowMs)
        .map((s) => withRuleLabels(s.labels, spec.labels, null));
    if (spec.kind === "record") return [];
    const { target } = spec.slo;
    return runtime.burn!.firing(this.evaluator, nowMs).map(
      (severity): LabelSet => [
        [target.kind, target.name],
        ["severity", severity],
      ],
    );
  }

  private step(runtime: RuleRuntime, holding: LabelSet[], nowMs: number): void {
    const timing = runtime.spec as Extract<AlertRuleSpec, { forMs: number }>;
    const seen = new Set<string>();
    for (const labels of holding) {
      const key = labelKey(labels);
      if (seen.has(key)) continue;
      seen.add(key);
      let instance = runtime.instances.get(key);
      if (instance === undefined) {
        instance = new AlertInstance(timing, Object.fromEntries(labels), (episode) =>
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

/**
 * A series' labels as a rule's output: without the metric name (or named `name`, for a recording
 * rule), with the rule's labels set over them; sorted.
 */
function withRuleLabels(
  labels: LabelSet,
  ruleLabels: Record<string, string>,
  name: string | null,
): LabelSet {
  const out = new Map<string, string>();
  for (const [k, v] of labels) if (k !== "__name__") out.set(k, v);
  for (const [k, v] of Object.entries(ruleLabels)) out.set(k, v);
  if (name !== null) out.set("__name__", name);
  return [...out].sort((a, b) => compareText(a[0], b[0]));
}

/** How far back the rule reads from an evaluation: its longest range, offset or window. */
function reachOf(rule: AlertRuleSpec, stepMs: number): number {
  if (rule.kind === "burn-rate")
    return Math.max(...rule.slo.windows.map((w) => Math.max(w.longMs, w.shortMs)));
  return reach(rule.ast, stepMs);
}

function reach(expr: Expr, stepMs: number): number {
  switch (expr.kind) {
    case "number":
    case "string":
      return 0;
    case "selector":
      return expr.offsetMs + stepMs;
    case "matrix":
      return expr.selector.offsetMs + expr.rangeMs;
    case "subquery":
      return expr.offsetMs + expr.rangeMs + (expr.stepMs ?? stepMs) + reach(expr.expr, stepMs);
    case "unary":
      return reach(expr.arg, stepMs);
    case "call":
      return Math.max(0, ...expr.args.map((a) => reach(a, stepMs)));
    case "aggregate":
      return Math.max(reach(expr.arg, stepMs), expr.param === null ? 0 : reach(expr.param, stepMs));
    case "binary":
      return Math.max(reach(expr.left, stepMs), reach(expr.right, stepMs));
  }
}
