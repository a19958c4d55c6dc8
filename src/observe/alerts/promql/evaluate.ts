// Evaluates a checked expression at one scrape tick, over the store's current values (instant
// selectors: the sample just scraped, so there is no lookback or staleness to model) and the
// sample history (range functions). Values follow Prometheus: a vector is a list of samples keyed
// by their label sets (the metric name dropped), arithmetic is IEEE (x/0 = ±Inf, 0/0 = NaN),
// aggregations group in order of first appearance, vector matching is one-to-one.
import type { SeriesStore } from "../../metrics/seriesStore.ts";
import type { SampleHistory } from "../history.ts";
import type {
  AggregateNode,
  ArithmeticOp,
  BinaryNode,
  Expr,
  RangeCallNode,
  SelectorNode,
} from "./ast.ts";
import { type Bucket, bucketQuantile } from "./histogramQuantile.ts";
import { averageOf, extrapolatedIncrease, extrapolatedRate, maximumOf } from "./rangeFunctions.ts";

/** Label pairs sorted by name. */
export type LabelSet = readonly (readonly [string, string])[];

export interface Sample {
  labels: LabelSet;
  value: number;
}

export type Value = number | Sample[];

export class Evaluator {
  /** Per selector: how many store series it has looked at, and the indices of those it matches. */
  private readonly matches = new Map<SelectorNode, { scanned: number; indices: number[] }>();
  /** Sorted labels per store series index. */
  private readonly sorted: LabelSet[] = [];

  constructor(
    private readonly store: SeriesStore,
    private readonly history: SampleHistory,
  ) {}

  evaluate(expr: Expr, nowMs: number): Value {
    switch (expr.kind) {
      case "number":
        return expr.value;
      case "negate":
        return map(this.evaluate(expr.arg, nowMs), (v) => -v);
      case "selector":
        return this.select(expr).map((i) => ({
          labels: this.labelsOf(i),
          value: this.store.series[i].current,
        }));
      case "range-call":
        return this.rangeCall(expr, nowMs);
      case "histogram-quantile":
        return histogramQuantile(expr.phi, asVector(this.evaluate(expr.arg, nowMs)));
      case "aggregate":
        return aggregate(expr, asVector(this.evaluate(expr.arg, nowMs)));
      case "binary":
        return binary(expr, this.evaluate(expr.left, nowMs), this.evaluate(expr.right, nowMs));
    }
  }

  /** Indices of the store's series that `selector` matches, in store order. */
  select(selector: SelectorNode): number[] {
    let cached = this.matches.get(selector);
    if (cached === undefined) this.matches.set(selector, (cached = { scanned: 0, indices: [] }));
    const all = this.store.series;
    for (; cached.scanned < all.length; cached.scanned++) {
      const series = all[cached.scanned];
      if (series.name !== selector.metric) continue;
      const ok = selector.matchers.every((m) => {
        const value = series.label(m.label) ?? "";
        switch (m.op) {
          case "=":
            return value === m.value;
          case "!=":
            return value !== m.value;
          case "=~":
            return m.regex!.test(value);
          case "!~":
            return !m.regex!.test(value);
          default:
            return false;
        }
      });
      if (ok) cached.indices.push(cached.scanned);
    }
    return cached.indices;
  }

  private rangeCall(expr: RangeCallNode, nowMs: number): Sample[] {
    const history = this.history;
    const rangeStart = nowMs - expr.rangeMs;
    const first = history.firstAfter(rangeStart);
    const last = history.length - 1;
    const count = history.length - first;
    const out: Sample[] = [];
    for (const s of this.select(expr.selector)) {
      let value: number | null;
      if (expr.func === "rate" || expr.func === "increase") {
        const fn = expr.func === "rate" ? extrapolatedRate : extrapolatedIncrease;
        value =
          count < 2
            ? null
            : fn(
                history.timeAt(first),
                history.valueAt(s, first),
                history.timeAt(last),
                history.valueAt(s, last),
                count,
                rangeStart,
                nowMs,
              );
      } else {
        const values: number[] = [];
        for (let i = first; i <= last; i++) values.push(history.valueAt(s, i));
        value = expr.func === "avg_over_time" ? averageOf(values) : maximumOf(values);
      }
      if (value !== null) out.push({ labels: this.labelsOf(s), value });
    }
    return out;
  }

  private labelsOf(index: number): LabelSet {
    for (let i = this.sorted.length; i < this.store.series.length; i++) {
      this.sorted.push([...this.store.series[i].labels].sort((a, b) => compareText(a[0], b[0])));
    }
    return this.sorted[index];
  }
}

function asVector(value: Value): Sample[] {
  if (typeof value === "number")
    throw new Error("internal: a checked expression gave a number where series were expected");
  return value;
}

function map(value: Value, fn: (v: number) => number): Value {
  return typeof value === "number"
    ? fn(value)
    : value.map((s) => ({ labels: s.labels, value: fn(s.value) }));
}

function arithmetic(op: ArithmeticOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
  }
}

function binary(expr: BinaryNode, left: Value, right: Value): Value {
  const op = expr.op;
  if (typeof left === "number" && typeof right === "number") return arithmetic(op, left, right);
  if (typeof right === "number")
    return (left as Sample[]).map((s) => ({
      labels: s.labels,
      value: arithmetic(op, s.value, right),
    }));
  if (typeof left === "number")
    return right.map((s) => ({ labels: s.labels, value: arithmetic(op, left, s.value) }));
  const matching = expr.matching;
  const on = matching?.mode === "on";
  const named = matching?.labels ?? [];
  const signatureLabels = (labels: LabelSet): LabelSet =>
    labels.filter(([k]) => (on ? named.includes(k) : !named.includes(k)));
  const byRight = new Map<string, Sample>();
  for (const s of right) {
    const key = keyOf(signatureLabels(s.labels));
    if (byRight.has(key))
      throw new Error(`internal: duplicate series on the right of ${op} for ${key}`);
    byRight.set(key, s);
  }
  const out: Sample[] = [];
  for (const s of left) {
    const signature = signatureLabels(s.labels);
    const match = byRight.get(keyOf(signature));
    if (match !== undefined)
      out.push({
        labels: matching === null ? s.labels : signature,
        value: arithmetic(op, s.value, match.value),
      });
  }
  return out;
}

function aggregate(expr: AggregateNode, input: Sample[]): Sample[] {
  const grouping = expr.grouping;
  const groupLabels = (labels: LabelSet): LabelSet =>
    grouping === null
      ? []
      : labels.filter(([k]) =>
          grouping.mode === "by" ? grouping.labels.includes(k) : !grouping.labels.includes(k),
        );
  const groups = new Map<string, { labels: LabelSet; values: number[] }>();
  for (const s of input) {
    const labels = groupLabels(s.labels);
    const key = keyOf(labels);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { labels, values: [] }));
    group.values.push(s.value);
  }
  return [...groups.values()].map(({ labels, values }) => ({
    labels,
    value: reduce(expr.op, values),
  }));
}

function reduce(op: AggregateNode["op"], values: number[]): number {
  switch (op) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "count":
      return values.length;
    case "max":
      return values.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a));
    case "min":
      return values.reduce((a, b) => (b < a || Number.isNaN(a) ? b : a));
  }
}

function histogramQuantile(phi: number, input: Sample[]): Sample[] {
  const groups = new Map<string, { labels: LabelSet; buckets: Bucket[] }>();
  for (const s of input) {
    const le = s.labels.find(([k]) => k === "le")?.[1];
    const upperBound = le === "+Inf" ? Infinity : Number(le);
    if (le === undefined || Number.isNaN(upperBound)) continue;
    const labels = s.labels.filter(([k]) => k !== "le");
    const key = keyOf(labels);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { labels, buckets: [] }));
    group.buckets.push({ upperBound, count: s.value });
  }
  return [...groups.values()].map(({ labels, buckets }) => ({
    labels,
    value: bucketQuantile(phi, buckets),
  }));
}

/** A label set's identity: its sorted pairs joined. */
export function keyOf(labels: LabelSet): string {
  let key = "";
  for (const [k, v] of labels) key += `${k}\u0001${v}\u0000`;
  return key;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
