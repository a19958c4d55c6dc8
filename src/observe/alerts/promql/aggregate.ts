// PromQL's aggregation operators over float samples, as Prometheus' engine (promql/engine.go,
// aggregation and aggregationK) computes them: sum and avg with Kahan summation (avg switching to
// an incremental mean if the sum would overflow), min/max (NaN only when all are), count, group,
// stddev/stdvar (Welford), quantile, topk/bottomk (which keep each sample's labels) and
// count_values. Groups come out in order of first appearance; `by` keeps the named labels,
// `without` all but those and the metric name.
import type { AggregateNode } from "./ast.ts";
import {
  compareText,
  kahanInc,
  kahanMean,
  type LabelSet,
  labelKey,
  NAME,
  quantileOf,
  type Sample,
  type Value,
  withLabel,
} from "./values.ts";

interface Group {
  labels: LabelSet;
  samples: Sample[];
}

export function aggregate(
  expr: AggregateNode,
  param: Value | null,
  input: Sample[],
  t: number,
): Sample[] {
  const groups = groupsOf(expr, input);
  const p = param !== null && param.type === "scalar" ? param.value : NaN;
  switch (expr.op) {
    case "topk":
    case "bottomk":
      return groups.flatMap((g) => selectK(g.samples, p, expr.op === "topk"));
    case "count_values": {
      const label = param !== null && param.type === "string" ? param.value : "";
      return countValues(groups, label, t);
    }
    default:
      return groups.map((g) => ({
        labels: g.labels,
        value: reduce(expr.op, g.samples, p),
        timeMs: t,
      }));
  }
}

function groupsOf(expr: AggregateNode, input: Sample[]): Group[] {
  const grouping = expr.grouping;
  const keep = (labels: LabelSet): LabelSet => {
    if (grouping === null) return [];
    if (grouping.mode === "by") return labels.filter(([k]) => grouping.labels.includes(k));
    return labels.filter(([k]) => k !== NAME && !grouping.labels.includes(k));
  };
  const groups = new Map<string, Group>();
  for (const s of input) {
    const labels = keep(s.labels);
    const key = labelKey(labels);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { labels, samples: [] }));
    group.samples.push(s);
  }
  return [...groups.values()];
}

function reduce(op: AggregateNode["op"], samples: Sample[], p: number): number {
  const values = samples.map((s) => s.value);
  switch (op) {
    case "sum": {
      let sum = values[0];
      let c = 0;
      for (let i = 1; i < values.length; i++) [sum, c] = kahanInc(values[i], sum, c);
      return sum + c;
    }
    case "avg":
      return kahanMean(values);
    case "count":
      return values.length;
    case "group":
      return 1;
    case "max":
      return values.reduce((a, b) => (a < b || Number.isNaN(a) ? b : a));
    case "min":
      return values.reduce((a, b) => (a > b || Number.isNaN(a) ? b : a));
    case "stddev":
    case "stdvar": {
      const first = values[0];
      let variance = Number.isFinite(first) ? 0 : NaN;
      let m = first;
      for (let i = 1; i < values.length; i++) {
        const delta = values[i] - m;
        m += delta / (i + 1);
        variance += delta * (values[i] - m);
      }
      variance /= values.length;
      return op === "stddev" ? Math.sqrt(variance) : variance;
    }
    case "quantile":
      return quantileOf(p, values);
    default:
      throw new Error(`internal: ${op} is not a reducing aggregation`);
  }
}

/** topk/bottomk: the k largest (smallest) samples of a group, NaN last, ties in input order. */
function selectK(samples: Sample[], k: number, top: boolean): Sample[] {
  const n = Math.floor(k);
  if (!(n >= 1)) return [];
  const rank = (a: Sample, b: Sample): number => {
    if (Number.isNaN(a.value)) return Number.isNaN(b.value) ? 0 : 1;
    if (Number.isNaN(b.value)) return -1;
    return top ? b.value - a.value : a.value - b.value;
  };
  return [...samples].sort(rank).slice(0, n);
}

function countValues(groups: Group[], label: string, t: number): Sample[] {
  const out: Sample[] = [];
  for (const g of groups) {
    const counts = new Map<string, number>();
    for (const s of g.samples) {
      const text = formatValue(s.value);
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    for (const [text, count] of counts)
      out.push({ labels: withLabel(g.labels, label, text), value: count, timeMs: t });
  }
  return out.sort((a, b) => compareText(labelKey(a.labels), labelKey(b.labels)));
}

/** A value as Prometheus formats it for count_values (Go's strconv 'f', -1: shortest). */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}
