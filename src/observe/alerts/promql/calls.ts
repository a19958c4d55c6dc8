// The evaluation of PromQL's functions beyond the simple ones, per Prometheus' promql/functions.go:
// the range functions' per-series value (rangeFunctions.ts does the arithmetic), absent()'s sample,
// histogram_quantile() over classic buckets, label_replace() and label_join().
import type { Expr, SubqueryNode } from "./ast.ts";
import { expandTemplate } from "./functions.ts";
import { type Bucket, bucketQuantile } from "./histogramQuantile.ts";
import {
  averageOf,
  changesOf,
  extrapolatedOf,
  extremeOf,
  instantValue,
  linearRegression,
  quantileOf,
  resetsOf,
  sumOf,
  varianceOf,
} from "./rangeFunctions.ts";
import {
  anchoredRegex,
  compareText,
  type LabelSet,
  labelKey,
  labelOf,
  NAME,
  type RangeSeries,
  type Sample,
  type Value,
  withLabel,
} from "./values.ts";

/** The window (start, end] a range argument read at t (for rate's extrapolation). */
export function windowOf(arg: Expr, t: number): { start: number; end: number } {
  if (arg.kind === "matrix") {
    const end = t - arg.selector.offsetMs;
    return { start: end - arg.rangeMs, end };
  }
  const sub = arg as SubqueryNode;
  const end = t - sub.offsetMs;
  return { start: end - sub.rangeMs, end };
}

export function rangeValue(
  name: string,
  s: RangeSeries,
  window: { start: number; end: number },
  args: Value[],
  t: number,
): number | null {
  const { timesMs, values } = s;
  switch (name) {
    case "rate":
    case "increase":
    case "delta":
      return extrapolatedOf(
        timesMs,
        values,
        window.start,
        window.end,
        name !== "delta",
        name === "rate",
      );
    case "irate":
    case "idelta":
      return instantValue(timesMs, values, name === "irate");
    case "deriv":
      return values.length < 2 ? null : linearRegression(timesMs, values, timesMs[0])[0];
    case "predict_linear": {
      if (values.length < 2) return null;
      const [slope, intercept] = linearRegression(timesMs, values, t);
      return slope * (args[1] as { value: number }).value + intercept;
    }
    case "changes":
      return changesOf(values);
    case "resets":
      return resetsOf(values);
    case "avg_over_time":
      return averageOf(values);
    case "min_over_time":
      return extremeOf(values, false);
    case "max_over_time":
      return extremeOf(values, true);
    case "sum_over_time":
      return sumOf(values);
    case "count_over_time":
    case "present_over_time":
      return name === "present_over_time" ? 1 : values.length;
    case "quantile_over_time":
      return quantileOf((args[0] as { value: number }).value, values);
    case "stddev_over_time": {
      const v = varianceOf(values);
      return v === null ? null : Math.sqrt(v);
    }
    case "stdvar_over_time":
      return varianceOf(values);
    case "last_over_time":
      return values[values.length - 1];
    default:
      throw new Error(`internal: no evaluation for ${name}()`);
  }
}

/**
 * absent()'s and absent_over_time()'s one sample: value 1 with the labels of the argument's
 * selector's `=` matchers (a label matched twice is left out), as Prometheus'
 * createLabelsForAbsentFunction.
 */
export function absentSample(arg: Expr, t: number): Sample {
  const selector = arg.kind === "selector" ? arg : arg.kind === "matrix" ? arg.selector : null;
  const pairs = new Map<string, string | null>();
  for (const m of selector?.matchers ?? []) {
    if (m.op !== "=" || m.label === NAME) continue;
    pairs.set(m.label, pairs.has(m.label) ? null : m.value);
  }
  const labels = [...pairs]
    .filter((p): p is [string, string] => p[1] !== null)
    .sort((a, b) => compareText(a[0], b[0]));
  return { labels, value: 1, timeMs: t };
}

export function histogramQuantile(phi: number, input: Sample[], t: number): Sample[] {
  const groups = new Map<string, { labels: LabelSet; buckets: Bucket[] }>();
  for (const s of input) {
    const le = labelOf(s.labels, "le");
    const upperBound = le === "+Inf" ? Infinity : Number(le);
    if (le === "" || Number.isNaN(upperBound)) continue;
    const labels = s.labels.filter(([k]) => k !== "le" && k !== NAME);
    const key = labelKey(labels);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { labels, buckets: [] }));
    group.buckets.push({ upperBound, count: s.value });
  }
  return [...groups.values()].map(({ labels, buckets }) => ({
    labels,
    value: bucketQuantile(phi, buckets),
    timeMs: t,
  }));
}

export function labelReplace(
  input: Sample[],
  dst: string,
  replacement: string,
  src: string,
  pattern: string,
): Sample[] {
  const regex = anchoredRegex(pattern);
  return input.map((s) => {
    const match = regex.exec(labelOf(s.labels, src));
    if (match === null) return s;
    return { ...s, labels: withLabel(s.labels, dst, expandTemplate(replacement, match)) };
  });
}

export function labelJoin(
  input: Sample[],
  dst: string,
  separator: string,
  sources: string[],
): Sample[] {
  return input.map((s) => ({
    ...s,
    labels: withLabel(s.labels, dst, sources.map((l) => labelOf(s.labels, l)).join(separator)),
  }));
}
