// Evaluates a checked expression at one evaluation time over the sample history, as Prometheus'
// engine evaluates an instant query: an instant selector reads each series' latest sample in
// (t − offset − 5m, t − offset], a range selector its samples in (t − offset − range, t − offset],
// a subquery the inner expression at multiples of its step in its range. Arithmetic is IEEE
// (x/0 = ±Inf, 0/0 = NaN); groups and matches come out in order of first appearance. Aggregations
// are aggregate.ts's, binary operators binary.ts's, functions functions.ts's and rangeFunctions.ts's.
import { type HistorySeries, labelKey, type SampleHistory } from "../history.ts";
import { aggregate } from "./aggregate.ts";
import type { CallNode, Expr, MatrixNode, SelectorNode, SubqueryNode } from "./ast.ts";
import { binary } from "./binary.ts";
import {
  absentSample,
  histogramQuantile,
  labelJoin,
  labelReplace,
  rangeValue,
  windowOf,
} from "./calls.ts";
import { FUNCTIONS, roundTo, simpleFunction } from "./functions.ts";
import {
  dropName,
  type LabelSet,
  labelOf,
  type RangeSeries,
  type Sample,
  scalar,
  type Value,
  vector,
} from "./values.ts";

export type { LabelSet, Sample, Value };

export class Evaluator {
  /** Per selector: how many history series it has looked at, and those it matches. */
  private readonly matches = new Map<SelectorNode, { scanned: number; series: HistorySeries[] }>();

  /** `stepMs`: the evaluation interval, a subquery's default step. */
  constructor(
    private readonly history: SampleHistory,
    private readonly stepMs: number,
  ) {}

  /** The instant vector an alerting or recording rule's expression gives at `nowMs`. */
  vectorAt(expr: Expr, nowMs: number): Sample[] {
    const value = this.evaluate(expr, nowMs);
    if (value.type === "vector") return value.samples;
    if (value.type === "scalar") return [{ labels: [], value: value.value, timeMs: nowMs }];
    throw new Error(`internal: a checked rule expression gave a ${value.type}`);
  }

  evaluate(expr: Expr, t: number): Value {
    switch (expr.kind) {
      case "number":
        return scalar(expr.value);
      case "string":
        return { type: "string", value: expr.value };
      case "unary": {
        const v = this.evaluate(expr.arg, t);
        if (expr.op === "+") return v;
        if (v.type === "scalar") return scalar(-v.value);
        return vector(
          asVector(v).map((s) => ({ labels: dropName(s.labels), value: -s.value, timeMs: t })),
        );
      }
      case "selector":
        return vector(this.instant(expr, t));
      case "matrix":
        return { type: "matrix", series: this.range(expr, t) };
      case "subquery":
        return { type: "matrix", series: this.subquery(expr, t) };
      case "call":
        return this.call(expr, t);
      case "aggregate": {
        const param = expr.param === null ? null : this.evaluate(expr.param, t);
        return vector(aggregate(expr, param, asVector(this.evaluate(expr.arg, t)), t));
      }
      case "binary":
        return binary(expr, this.evaluate(expr.left, t), this.evaluate(expr.right, t), t);
    }
  }

  /** History series `selector` matches, in order of first appearance. */
  select(selector: SelectorNode): HistorySeries[] {
    let cached = this.matches.get(selector);
    if (cached === undefined) this.matches.set(selector, (cached = { scanned: 0, series: [] }));
    const all = this.history.series;
    for (; cached.scanned < all.length; cached.scanned++) {
      const series = all[cached.scanned];
      if (selector.metric !== null && series.name !== selector.metric) continue;
      if (selector.matchers.every((m) => matches(m, series.labels))) cached.series.push(series);
    }
    return cached.series;
  }

  private instant(selector: SelectorNode, t: number): Sample[] {
    const at = t - selector.offsetMs;
    const out: Sample[] = [];
    for (const series of this.select(selector)) {
      const sample = this.history.instantAt(series, at);
      if (sample !== null)
        out.push({ labels: series.labels, value: sample.value, timeMs: sample.timeMs });
    }
    return out;
  }

  private range(expr: MatrixNode, t: number): RangeSeries[] {
    const end = t - expr.selector.offsetMs;
    const history = this.history;
    const first = history.firstAfter(end - expr.rangeMs);
    const last = history.firstAfter(end) - 1;
    const out: RangeSeries[] = [];
    for (const series of this.select(expr.selector)) {
      const timesMs: number[] = [];
      const values: number[] = [];
      for (let i = first; i <= last; i++) {
        const v = series.values[i];
        if (v === null) continue;
        timesMs.push(history.timeAt(i));
        values.push(v);
      }
      if (values.length > 0) out.push({ labels: series.labels, timesMs, values });
    }
    return out;
  }

  /** The inner expression at every multiple of the step in (end − range, end]. */
  private subquery(expr: SubqueryNode, t: number): RangeSeries[] {
    const step = expr.stepMs ?? this.stepMs;
    const end = t - expr.offsetMs;
    const start = end - expr.rangeMs;
    const bySeries = new Map<string, RangeSeries>();
    for (let at = Math.floor(start / step) * step + step; at <= end; at += step) {
      for (const s of asVector(this.evaluate(expr.expr, at))) {
        const key = labelKey(s.labels);
        let series = bySeries.get(key);
        if (series === undefined)
          bySeries.set(key, (series = { labels: s.labels, timesMs: [], values: [] }));
        series.timesMs.push(at);
        series.values.push(s.value);
      }
    }
    return [...bySeries.values()];
  }

  private call(expr: CallNode, t: number): Value {
    const name = expr.func;
    const args = expr.args.map((a) => this.evaluate(a, t));
    const keep = FUNCTIONS[name].keepsName;
    const relabel = (labels: LabelSet) => (keep ? labels : dropName(labels));
    const simple = simpleFunction(name);
    if (simple !== null)
      return mapVector(args[0], (s) => ({
        labels: relabel(s.labels),
        value: simple(s.value),
        timeMs: t,
      }));
    const num = (i: number) => (args[i] as { value: number }).value;
    const str = (i: number) => (args[i] as { value: string }).value;
    switch (name) {
      case "round": {
        const to = args.length > 1 ? num(1) : 1;
        return mapVector(args[0], (s) => ({
          labels: relabel(s.labels),
          value: roundTo(s.value, to),
          timeMs: t,
        }));
      }
      case "clamp":
      case "clamp_min":
      case "clamp_max": {
        const lo = name === "clamp_max" ? -Infinity : num(1);
        const hi = name === "clamp" ? num(2) : name === "clamp_max" ? num(1) : Infinity;
        if (hi < lo) return vector([]);
        return mapVector(args[0], (s) => ({
          labels: relabel(s.labels),
          value: Math.max(lo, Math.min(hi, s.value)),
          timeMs: t,
        }));
      }
      case "absent":
        return vector(asVector(args[0]).length > 0 ? [] : [absentSample(expr.args[0], t)]);
      case "scalar": {
        const samples = asVector(args[0]);
        return scalar(samples.length === 1 ? samples[0].value : NaN);
      }
      case "vector":
        return vector([{ labels: [], value: num(0), timeMs: t }]);
      case "time":
        return scalar(t / 1000);
      case "timestamp":
        return mapVector(args[0], (s) => ({
          labels: relabel(s.labels),
          value: s.timeMs / 1000,
          timeMs: t,
        }));
      case "histogram_quantile":
        return vector(histogramQuantile(num(0), asVector(args[1]), t));
      case "label_replace":
        return vector(labelReplace(asVector(args[0]), str(1), str(2), str(3), str(4)));
      case "label_join":
        return vector(
          labelJoin(
            asVector(args[0]),
            str(1),
            str(2),
            args.slice(3).map((a) => (a as { value: string }).value),
          ),
        );
      case "sort":
      case "sort_desc": {
        const sign = name === "sort" ? 1 : -1;
        return vector([...asVector(args[0])].sort((a, b) => sign * (a.value - b.value)));
      }
      default:
        return this.rangeCall(name, args, expr, t);
    }
  }

  private rangeCall(name: string, args: Value[], expr: CallNode, t: number): Value {
    const matrixIndex = name === "quantile_over_time" ? 1 : 0;
    const matrix = (args[matrixIndex] as { series: RangeSeries[] }).series;
    const window = windowOf(expr.args[matrixIndex], t);
    if (name === "absent_over_time")
      return vector(matrix.length > 0 ? [] : [absentSample(expr.args[0], t)]);
    const out: Sample[] = [];
    for (const s of matrix) {
      const value = rangeValue(name, s, window, args, t);
      if (value === null) continue;
      const labels = name === "last_over_time" ? s.labels : dropName(s.labels);
      out.push({ labels, value, timeMs: t });
    }
    return vector(out);
  }
}

function matches(
  m: { label: string; op: string; value: string; regex: RegExp | null },
  labels: LabelSet,
): boolean {
  const value = labelOf(labels, m.label);
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return m.regex!.test(value);
    default:
      return !m.regex!.test(value);
  }
}

function asVector(value: Value): Sample[] {
  if (value.type !== "vector")
    throw new Error(
      `internal: a checked expression gave a ${value.type} where series were expected`,
    );
  return value.samples;
}

function mapVector(value: Value, fn: (s: Sample) => Sample): Value {
  return vector(asVector(value).map(fn));
}
