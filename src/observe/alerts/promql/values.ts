// PromQL's four value types as the evaluator passes them around, and the label-set helpers every
// operation shares. Label sets are sorted by name and carry `__name__` where Prometheus keeps the
// metric name (selectors, filters, set operations) and not where it drops it (arithmetic,
// aggregations, most functions). Kahan summation as Prometheus' util/kahansum (Neumaier's variant).
import { compareText, type LabelSet, labelKey } from "../history.ts";

export type { LabelSet };
export { compareText, labelKey };

export interface Sample {
  labels: LabelSet;
  value: number;
  /** When the sample was taken, for timestamp(); the evaluation time for computed samples. */
  timeMs: number;
}

/** One series of a range vector: its samples in the range, oldest first. */
export interface RangeSeries {
  labels: LabelSet;
  timesMs: number[];
  values: number[];
}

export type Value =
  | { type: "scalar"; value: number }
  | { type: "string"; value: string }
  | { type: "vector"; samples: Sample[] }
  | { type: "matrix"; series: RangeSeries[] };

export const NAME = "__name__";

export function dropName(labels: LabelSet): LabelSet {
  return labels.some(([k]) => k === NAME) ? labels.filter(([k]) => k !== NAME) : labels;
}

export function labelOf(labels: LabelSet, name: string): string {
  for (const [k, v] of labels) if (k === name) return v;
  return "";
}

/** `labels` with `name` set to `value` (removed when value is empty), kept sorted. */
export function withLabel(labels: LabelSet, name: string, value: string): LabelSet {
  const rest = labels.filter(([k]) => k !== name);
  if (value === "") return rest;
  return [...rest, [name, value] as const].sort((a, b) => compareText(a[0], b[0]));
}

/** Prometheus' kahansum.Inc: adds `inc` to (sum, c); returns the new sum and sets KAHAN_C. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** Prometheus' quantile over values (sorted here): linear between the two nearest ranks. */
export function quantileOf(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

export function vector(samples: Sample[]): Value {
  return { type: "vector", samples };
}

export function scalar(value: number): Value {
  return { type: "scalar", value };
}

/**
 * A label regex anchored as Prometheus anchors it, ^(?:re)$, from Go's RE2 syntax: named groups
 * (?P<name>…) become (?<name>…), and a leading (?i) or (?s) becomes a flag. Throws SyntaxError.
 */
export function anchoredRegex(pattern: string): RegExp {
  let body = pattern;
  let flags = "";
  const leading = /^\(\?([is]+)\)/.exec(body);
  if (leading !== null) {
    flags = [...new Set(leading[1])].join("");
    body = body.slice(leading[0].length);
  }
  body = body.replaceAll("(?P<", "(?<");
  return new RegExp(`^(?:${body})$`, flags);
}

/**
 * The mean as Prometheus 3 takes it (avg and avg_over_time alike): a Kahan sum over the count,
 * switching to an incremental mean once the sum would overflow. `values` is not empty.
 */
export function kahanMean(values: readonly number[]): number {
  let sum = values[0];
  let c = 0;
  let mean = 0;
  let incremental = false;
  for (let i = 1; i < values.length; i++) {
    const count = i + 1;
    const f = values[i];
    if (!incremental) {
      const [s, k] = kahanInc(f, sum, c);
      if (Number.isFinite(s) || Number.isNaN(s)) {
        sum = s;
        c = k;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanInc(f / count, q * mean, q * c);
  }
  if (incremental) return mean + c;
  return sum / values.length + c / values.length;
}
