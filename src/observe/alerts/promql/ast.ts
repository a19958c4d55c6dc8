// The syntax tree meshsim evaluates, built from Prometheus' own grammar (parser.ts reads the tree
// of @prometheus-io/lezer-promql into this). Every node keeps its place in the text (0-based
// offsets, end exclusive) so checks and errors can point at the culprit. Names of operators and
// functions are PromQL's; what the evaluator does not support never gets past parser.ts.

export interface Span {
  start: number;
  end: number;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  /** A label name; `__name__` for the metric name. */
  label: string;
  op: MatchOp;
  value: string;
  /** Anchored as Prometheus anchors label regexes: ^(?:value)$; null for = and !=. */
  regex: RegExp | null;
  span: Span;
}

export interface NumberNode {
  kind: "number";
  value: number;
  span: Span;
}

export interface StringNode {
  kind: "string";
  value: string;
  span: Span;
}

/** An instant vector selector: `name{label="v", ...}`, maybe `offset d`. */
export interface SelectorNode {
  kind: "selector";
  /** The metric name (from the name or a `__name__="..."` matcher), or null if none fixes it. */
  metric: string | null;
  /** The matchers other than the one that fixes the metric name. */
  matchers: Matcher[];
  offsetMs: number;
  span: Span;
  /** Where the metric name is, for "unknown metric" messages. */
  nameSpan: Span;
}

/** A range vector selector: `selector[range]`, the offset on its selector. */
export interface MatrixNode {
  kind: "matrix";
  selector: SelectorNode;
  rangeMs: number;
  /** Where `[5m]` is. */
  rangeSpan: Span;
  span: Span;
}

/** A subquery: `expr[range:step] offset d`; stepMs null takes the evaluation interval. */
export interface SubqueryNode {
  kind: "subquery";
  expr: Expr;
  rangeMs: number;
  stepMs: number | null;
  offsetMs: number;
  rangeSpan: Span;
  span: Span;
}

export interface CallNode {
  kind: "call";
  func: string;
  args: Expr[];
  /** Where the function's name is. */
  nameSpan: Span;
  span: Span;
}

export const AGGREGATIONS = [
  "sum",
  "avg",
  "min",
  "max",
  "count",
  "group",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
] as const;
export type AggregateOp = (typeof AGGREGATIONS)[number];

export interface Grouping {
  mode: "by" | "without";
  labels: string[];
  span: Span;
}

export interface AggregateNode {
  kind: "aggregate";
  op: AggregateOp;
  /** topk/bottomk's k, quantile's φ, count_values' label; null for the others. */
  param: Expr | null;
  grouping: Grouping | null;
  arg: Expr;
  span: Span;
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "^" | "atan2";
export type ComparisonOp = "==" | "!=" | ">" | "<" | ">=" | "<=";
export type SetOp = "and" | "or" | "unless";
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export const COMPARISON_OPS: readonly string[] = ["==", "!=", ">", "<", ">=", "<="];
export const SET_OPS: readonly string[] = ["and", "or", "unless"];

/** Vector matching of a binary operation between two vectors. */
export interface VectorMatching {
  /** one-to-one, or group_left (many-to-one) / group_right (one-to-many). */
  card: "one-to-one" | "many-to-one" | "one-to-many";
  /** on(labels): match on these only; ignoring(labels): on all others. */
  on: boolean;
  labels: string[];
  /** group_left/group_right(labels): labels copied from the "one" side. */
  include: string[];
  span: Span;
}

export interface BinaryNode {
  kind: "binary";
  op: BinaryOp;
  /** A comparison with `bool`: 0 or 1 instead of filtering. */
  bool: boolean;
  left: Expr;
  right: Expr;
  /** Explicit on()/ignoring()/group_*(), or null for the default (ignoring nothing, one-to-one). */
  matching: VectorMatching | null;
  /** Where the operator is. */
  opSpan: Span;
  span: Span;
}

export interface UnaryNode {
  kind: "unary";
  op: "-" | "+";
  arg: Expr;
  span: Span;
}

export type Expr =
  | NumberNode
  | StringNode
  | SelectorNode
  | MatrixNode
  | SubqueryNode
  | CallNode
  | AggregateNode
  | BinaryNode
  | UnaryNode;
