// The points limit on subqueries, checked once at load time: a subquery `expr[range:step]`
// evaluates its inner expression at every multiple of the step in its range, at every rule
// evaluation, so `max_over_time(x[30d:1ms])` asks for 2.6 billion evaluations per scrape tick.
// Prometheus bounds a query by the samples it holds (--query.max-samples, 50,000,000) and a range
// query by 11,000 points per series (its HTTP API refuses more: "exceeded maximum resolution of
// 11,000 points per timeseries"); meshsim evaluates each rule at every scrape of a run, so it takes
// the latter figure for the points a rule's subqueries evaluate at one evaluation, and refuses a
// rule above it instead of running for hours. It leaves out the series count (not known before
// the run): a point costs one evaluation of the inner expression over every series it selects.
import { formatDuration } from "../../../kernel/duration.ts";
import type { Expr, SubqueryNode } from "./ast.ts";
import { PromqlError } from "./errors.ts";

/** Subquery points one evaluation of a rule may compute (Prometheus' 11,000 points per series). */
export const MAX_SUBQUERY_POINTS = 11_000;

/**
 * Points `expr`'s subqueries evaluate at one evaluation: ceil(range / step) per subquery (at most
 * that many multiples of the step fall in its range), times one plus the points of the subqueries
 * inside it (each of its points evaluates them again); siblings add. `stepMs` is the default step.
 */
export function subqueryPoints(expr: Expr, stepMs: number): number {
  return subqueries(expr).reduce((sum, s) => sum + pointsOf(s, stepMs), 0);
}

/** Refuses a rule whose subqueries evaluate more than MAX_SUBQUERY_POINTS points. Throws PromqlError. */
export function checkSubqueryPoints(expr: Expr, text: string, rule: string, stepMs: number): void {
  const total = subqueryPoints(expr, stepMs);
  if (total <= MAX_SUBQUERY_POINTS) return;
  const all = allSubqueries(expr);
  const widest = all.reduce((a, b) => (ownPoints(b, stepMs) > ownPoints(a, stepMs) ? b : a));
  const advice =
    all.length === 1
      ? `a step of at least ${formatDuration(Math.ceil(widest.rangeMs / MAX_SUBQUERY_POINTS / 1000) * 1000)} or a shorter range`
      : "coarser steps or shorter ranges";
  throw new PromqlError(
    `rule ${JSON.stringify(rule)} evaluates ${show(total)} subquery points at every evaluation; meshsim's limit is ${show(MAX_SUBQUERY_POINTS)} per rule evaluation (Prometheus' 11,000 points per series: each point re-evaluates the inner expression, at every scrape), so use ${advice} for the subquery`,
    widest.rangeSpan.start,
    text,
  );
}

function pointsOf(node: SubqueryNode, stepMs: number): number {
  return ownPoints(node, stepMs) * (1 + subqueryPoints(node.expr, stepMs));
}

function ownPoints(node: SubqueryNode, stepMs: number): number {
  return Math.ceil(node.rangeMs / (node.stepMs ?? stepMs));
}

/** The outermost subqueries in `expr`. */
function subqueries(expr: Expr): SubqueryNode[] {
  if (expr.kind === "subquery") return [expr];
  return children(expr).flatMap(subqueries);
}

/** Every subquery in `expr`, nested ones included, in text order. */
function allSubqueries(expr: Expr): SubqueryNode[] {
  const inner = children(expr).flatMap(allSubqueries);
  return expr.kind === "subquery" ? [expr, ...inner] : inner;
}

function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case "subquery":
      return [expr.expr];
    case "unary":
      return [expr.arg];
    case "call":
      return expr.args;
    case "aggregate":
      return expr.param === null ? [expr.arg] : [expr.param, expr.arg];
    case "binary":
      return [expr.left, expr.right];
    default:
      return [];
  }
}

/** 11000 as "11,000"; without the locale (the output is the same on every machine). */
function show(n: number): string {
  if (!Number.isFinite(n) || n >= 1e21) return n.toExponential(2);
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
