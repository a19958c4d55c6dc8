// The syntax tree of meshsim's PromQL subset. Every node keeps its place in the text (0-based
// offsets, end exclusive) so the checker can point at the culprit. There is no string, subquery,
// offset, @, `bool` or set operator (and, or, unless); see parser.ts for the grammar.

export interface Span {
  start: number;
  end: number;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
  /** Anchored as Prometheus anchors label regexes: ^(?:value)$; null for = and !=. */
  regex: RegExp | null;
  span: Span;
}

/** An instant vector selector: `name{label="v", ...}`. */
export interface SelectorNode {
  kind: "selector";
  metric: string;
  matchers: Matcher[];
  span: Span;
  /** Where the metric name is, for "unknown metric" messages. */
  nameSpan: Span;
}

export const RANGE_FUNCTIONS = ["rate", "increase", "avg_over_time", "max_over_time"] as const;
export type RangeFunction = (typeof RANGE_FUNCTIONS)[number];

/** rate(x[5m]), increase(x[5m]), avg_over_time(x[5m]), max_over_time(x[5m]). */
export interface RangeCallNode {
  kind: "range-call";
  func: RangeFunction;
  selector: SelectorNode;
  rangeMs: number;
  /** Where `[5m]` is. */
  rangeSpan: Span;
  span: Span;
}

/** histogram_quantile(φ, buckets), φ a number from 0 to 1. */
export interface QuantileNode {
  kind: "histogram-quantile";
  phi: number;
  arg: Expr;
  span: Span;
}

export const AGGREGATIONS = ["sum", "avg", "max", "min", "count"] as const;
export type AggregateOp = (typeof AGGREGATIONS)[number];

export interface Grouping {
  mode: "by" | "without";
  labels: string[];
  span: Span;
}

export interface AggregateNode {
  kind: "aggregate";
  op: AggregateOp;
  grouping: Grouping | null;
  arg: Expr;
  span: Span;
}

export type ArithmeticOp = "+" | "-" | "*" | "/";

/** Vector matching of a binary operation between two vectors: on(labels) or ignoring(labels). */
export interface VectorMatching {
  mode: "on" | "ignoring";
  labels: string[];
  span: Span;
}

export interface BinaryNode {
  kind: "binary";
  op: ArithmeticOp;
  left: Expr;
  right: Expr;
  matching: VectorMatching | null;
  /** Where the operator is. */
  opSpan: Span;
  span: Span;
}

export interface NumberNode {
  kind: "number";
  value: number;
  span: Span;
}

export interface NegateNode {
  kind: "negate";
  arg: Expr;
  span: Span;
}

export type Expr =
  | SelectorNode
  | RangeCallNode
  | QuantileNode
  | AggregateNode
  | BinaryNode
  | NumberNode
  | NegateNode;

export type ComparisonOp = ">" | ">=" | "<" | "<=" | "==" | "!=";

/** An alerting expression: a vector, compared with a number; every series that passes is an alert instance. */
export interface AlertExpr {
  body: Expr;
  op: ComparisonOp;
  threshold: number;
  /** Where the comparison operator is. */
  opSpan: Span;
}
