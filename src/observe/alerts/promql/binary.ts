// PromQL's binary operators as Prometheus' engine applies them (promql/engine.go: VectorBinop,
// VectorscalarBinop, VectorAnd/Or/Unless, resultMetric): arithmetic drops the metric name; a
// comparison filters (keeping the vector side's value and labels) or, with `bool`, gives 0 or 1;
// vectors match on their labels but the name (or only on(...), or all but ignoring(...)), one to
// one, or many to one with group_left / one to many with group_right copying the listed labels
// from the "one" side. A match Prometheus would refuse at run time (duplicates on the "one" side,
// or one-to-one with several matches) gives no samples: the checker rejects such rules at load time.
import {
  type ArithmeticOp,
  type BinaryNode,
  type BinaryOp,
  COMPARISON_OPS,
  SET_OPS,
  type VectorMatching,
} from "./ast.ts";
import {
  dropName,
  type LabelSet,
  labelKey,
  labelOf,
  NAME,
  type Sample,
  scalar,
  type Value,
  vector,
  withLabel,
} from "./values.ts";

const ONE_TO_ONE: VectorMatching = {
  card: "one-to-one",
  on: false,
  labels: [],
  include: [],
  span: { start: 0, end: 0 },
};

export function binary(expr: BinaryNode, left: Value, right: Value, t: number): Value {
  const { op, bool } = expr;
  const comparison = COMPARISON_OPS.includes(op);
  if (left.type === "scalar" && right.type === "scalar") {
    const v = apply(op, left.value, right.value);
    return scalar(comparison ? (v ? 1 : 0) : (v as number));
  }
  if (left.type === "scalar" || right.type === "scalar") {
    const swap = left.type === "scalar";
    const s = (swap ? left : right) as { value: number };
    const samples = (swap ? right : left) as { samples: Sample[] };
    const out: Sample[] = [];
    for (const sample of samples.samples) {
      const [l, r] = swap ? [s.value, sample.value] : [sample.value, s.value];
      const v = apply(op, l, r);
      if (!comparison) out.push({ labels: dropName(sample.labels), value: v as number, timeMs: t });
      else if (bool) out.push({ labels: dropName(sample.labels), value: v ? 1 : 0, timeMs: t });
      else if (v) out.push({ labels: sample.labels, value: sample.value, timeMs: t });
    }
    return vector(out);
  }
  const l = (left as { samples: Sample[] }).samples;
  const r = (right as { samples: Sample[] }).samples;
  const matching = expr.matching ?? ONE_TO_ONE;
  if (SET_OPS.includes(op)) return vector(setOperation(op, l, r, matching));
  return vector(vectorBinop(op, bool, l, r, matching, t) ?? []);
}

/** The signature two samples must share to match: on(labels) or all but ignoring(labels) and the name. */
function signature(labels: LabelSet, matching: VectorMatching): string {
  const kept = matching.on
    ? labels.filter(([k]) => matching.labels.includes(k))
    : labels.filter(([k]) => k !== NAME && !matching.labels.includes(k));
  return labelKey(kept);
}

function setOperation(op: BinaryOp, l: Sample[], r: Sample[], matching: VectorMatching): Sample[] {
  const rightSigs = new Set(r.map((s) => signature(s.labels, matching)));
  switch (op) {
    case "and":
      return l.filter((s) => rightSigs.has(signature(s.labels, matching)));
    case "unless":
      return l.filter((s) => !rightSigs.has(signature(s.labels, matching)));
    default: {
      const leftSigs = new Set(l.map((s) => signature(s.labels, matching)));
      return [...l, ...r.filter((s) => !leftSigs.has(signature(s.labels, matching)))];
    }
  }
}

/** Arithmetic or comparison between two vectors; null where Prometheus would fail the query. */
function vectorBinop(
  op: BinaryOp,
  bool: boolean,
  left: Sample[],
  right: Sample[],
  matching: VectorMatching,
  t: number,
): Sample[] | null {
  const comparison = COMPARISON_OPS.includes(op);
  const oneToMany = matching.card === "one-to-many";
  // The "one" side is the right one, but the left one for group_right.
  const [many, one] = oneToMany ? [right, left] : [left, right];
  const bySig = new Map<string, Sample>();
  for (const s of one) {
    const sig = signature(s.labels, matching);
    if (bySig.has(sig)) return null; // duplicate series on the "one" side
    bySig.set(sig, s);
  }
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const m of many) {
    const sig = signature(m.labels, matching);
    const o = bySig.get(sig);
    if (o === undefined) continue;
    const [lv, rv] = oneToMany ? [o.value, m.value] : [m.value, o.value];
    const v = apply(op, lv, rv);
    let value: number;
    if (!comparison) value = v as number;
    else if (bool) value = v ? 1 : 0;
    else if (v) value = lv;
    else continue;
    const labels = resultLabels(m.labels, o.labels, matching, !comparison || bool);
    if (matching.card === "one-to-one") {
      if (seen.has(sig)) return null; // several matches: must be explicit (group_left/right)
      seen.add(sig);
    } else {
      const key = labelKey(labels);
      if (seen.has(key)) return null; // grouping labels must ensure unique matches
      seen.add(key);
    }
    out.push({ labels, value, timeMs: t });
  }
  return out;
}

/** Prometheus' resultMetric: from the "many" side's labels. */
function resultLabels(
  many: LabelSet,
  one: LabelSet,
  matching: VectorMatching,
  drop: boolean,
): LabelSet {
  let labels = drop ? dropName(many) : many;
  if (matching.card === "one-to-one") {
    labels = matching.on
      ? labels.filter(([k]) => matching.labels.includes(k))
      : labels.filter(([k]) => !matching.labels.includes(k));
    return labels;
  }
  for (const name of matching.include) labels = withLabel(labels, name, labelOf(one, name));
  return labels;
}

/** The operator on two floats: a number for arithmetic, a boolean for comparisons. */
function apply(op: BinaryOp, a: number, b: number): number | boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
    default:
      return arithmetic(op as ArithmeticOp, a, b);
  }
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
    case "%":
      // Go's math.Mod: the sign of the dividend, as JS's %.
      return a % b;
    case "^":
      // Go's math.Pow, where 1^y and (−1)^±Inf are 1 (JS's ** gives NaN).
      return a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : a ** b;
    case "atan2":
      return Math.atan2(a, b);
  }
}
