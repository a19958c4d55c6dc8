// The static check of an expression, run once at load time: Prometheus' own type rules (argument
// types of functions and aggregations, bool only on comparisons, set operators and vector matching
// only between vectors, scalars compared only with bool), then meshsim's checks against what it
// scrapes and what the rules record: metric and label names exist, `=` matchers name a load,
// service, instance or bucket that exists, counter functions read counters, ranges hold enough
// scrapes, and vector matching is well defined (a run-time error in Prometheus). It infers each
// node's label names, and which of them a `=` matcher (or a rule label) pins to one value.
import { formatDuration as formatMs } from "../../../kernel/duration.ts";
import type {
  AggregateNode,
  BinaryNode,
  CallNode,
  Expr,
  Matcher,
  SelectorNode,
  Span,
  VectorMatching,
} from "./ast.ts";
import { COMPARISON_OPS, SET_OPS } from "./ast.ts";
import { checkMatching } from "./checkMatching.ts";
import { PromqlError } from "./errors.ts";
import { COUNTER_FUNCTIONS, FUNCTIONS, type ValueType } from "./functions.ts";
import { KNOWN_SAMPLES, unknownSampleMessage } from "./metrics.ts";
import { list, type SeriesOf, type Shape, unique } from "./shape.ts";

/** What a series-valued node is known to carry. */
export interface SeriesShape {
  /** Label names (the metric name aside). */
  labels: readonly string[];
  /** Labels a `=` matcher or a rule label fixes to one value. */
  pinned: ReadonlySet<string>;
}

export interface CheckContext {
  /** Rules are evaluated at every scrape; a range must hold enough scrapes to give a value. */
  scrapeIntervalMs: number;
  /** The values a `=` matcher on these labels may name (load, service, instance, source, target, le, ...). */
  labelValues: Readonly<Record<string, readonly string[]>>;
  /** Series recorded by recording rules before this expression, by metric name. */
  recorded?: ReadonlyMap<string, SeriesShape>;
}

/** Checks a rule's expression; returns the shape of the vector it gives. Throws PromqlError. */
export function checkExpr(
  expr: Expr,
  text: string,
  ctx: CheckContext,
  alert: boolean,
): SeriesShape {
  const shape = new Checker(text, ctx).shape(expr);
  const fail = (what: string) => {
    throw new PromqlError(what, expr.span.start, text);
  };
  if (shape.type === "scalar") {
    if (alert)
      fail(
        "the expression is a plain number (a scalar); an alert needs series, e.g. a metric compared with a threshold",
      );
    return { labels: [], pinned: new Set() };
  }
  if (shape.type !== "vector")
    fail(
      `a rule's expression must give an instant vector, found a ${shape.type === "matrix" ? "range vector" : "string"}`,
    );
  const vector = shape as SeriesOf;
  return { labels: vector.labels, pinned: vector.pinned };
}

class Checker {
  constructor(
    private readonly text: string,
    private readonly ctx: CheckContext,
  ) {}

  shape(expr: Expr): Shape {
    switch (expr.kind) {
      case "number":
        return { type: "scalar" };
      case "string":
        return { type: "string" };
      case "unary": {
        const arg = this.shape(expr.arg);
        if (arg.type !== "scalar" && arg.type !== "vector")
          this.fail(`unary ${expr.op} needs a number or an instant vector`, expr.span);
        return arg;
      }
      case "selector":
        return this.selector(expr);
      case "matrix":
        return { ...this.selector(expr.selector), type: "matrix" };
      case "subquery": {
        const inner = this.vector(expr.expr, "a subquery");
        if (expr.rangeMs <= 0 || (expr.stepMs !== null && expr.stepMs <= 0))
          this.fail("a subquery's range and step must be positive", expr.rangeSpan);
        return { ...inner, type: "matrix", counter: false };
      }
      case "call":
        return this.call(expr);
      case "aggregate":
        return this.aggregate(expr);
      case "binary":
        return this.binary(expr);
    }
  }

  private vector(expr: Expr, where: string): SeriesOf {
    const shape = this.shape(expr);
    if (shape.type !== "vector")
      this.fail(
        `${where} needs series (an instant vector), found ${describe(shape.type)}`,
        expr.span,
      );
    return shape as SeriesOf;
  }

  private selector(node: SelectorNode): SeriesOf {
    const pinned = new Set<string>();
    if (node.metric === null)
      this.fail(
        "a selector must name its metric (meshsim checks it against what it scrapes)",
        node.span,
      );
    const recorded = this.ctx.recorded?.get(node.metric);
    if (recorded !== undefined) {
      for (const m of node.matchers) {
        if (!recorded.labels.includes(m.label))
          this.fail(
            `${node.metric} (recorded) has no label ${m.label}; its labels are ${list(recorded.labels)}`,
            m.span,
          );
        if (m.op === "=") pinned.add(m.label);
      }
      return {
        type: "vector",
        labels: recorded.labels,
        pinned: union(recorded.pinned, pinned),
        counter: false,
      };
    }
    const sample = KNOWN_SAMPLES.get(node.metric);
    if (sample === undefined) this.fail(unknownSampleMessage(node.metric), node.nameSpan);
    for (const matcher of node.matchers) {
      this.matcher(matcher, sample.name, sample.labels);
      if (matcher.op === "=") pinned.add(matcher.label);
    }
    return { type: "vector", labels: sample.labels, pinned, counter: sample.counter };
  }

  private matcher(matcher: Matcher, name: string, labels: readonly string[]): void {
    if (!labels.includes(matcher.label)) {
      this.fail(
        `${name} has no label ${matcher.label}; its labels are ${list(labels)}`,
        matcher.span,
      );
    }
    const known = this.ctx.labelValues[matcher.label];
    if (matcher.op === "=" && known !== undefined && !known.includes(matcher.value)) {
      this.fail(
        `no ${matcher.label} ${JSON.stringify(matcher.value)} in this scenario; ${matcher.label} values are: ${list(known)}`,
        matcher.span,
      );
    }
  }

  private call(expr: CallNode): Shape {
    const signature = FUNCTIONS[expr.func];
    const name = `${expr.func}()`;
    const min = signature.args.length - signature.optional;
    const max = signature.variadic ? Infinity : signature.args.length;
    if (expr.args.length < min || expr.args.length > max) {
      const count =
        min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.fail(
        `${name} takes ${count} argument${min === 1 && max === 1 ? "" : "s"}, found ${expr.args.length}`,
        expr.nameSpan,
      );
    }
    const shapes = expr.args.map((arg, i) => {
      const want: ValueType = signature.args[Math.min(i, signature.args.length - 1)];
      const shape = this.shape(arg);
      if (shape.type !== want)
        this.fail(
          `${name} expects ${describe(want)} as argument ${i + 1}, found ${describe(shape.type)}`,
          arg.span,
        );
      return shape;
    });
    const series = shapes.find((s): s is SeriesOf => s.type === "vector" || s.type === "matrix");
    if (series?.type === "matrix") this.rangeArgument(expr, series);
    if (signature.returns === "scalar") return { type: "scalar" };
    switch (expr.func) {
      case "vector":
      case "time":
        return { type: "vector", labels: [], pinned: new Set(), counter: false };
      case "absent":
      case "absent_over_time": {
        const arg = expr.args[0];
        const selector =
          arg.kind === "selector" ? arg : arg.kind === "matrix" ? arg.selector : null;
        const labels = (selector?.matchers ?? []).filter((m) => m.op === "=").map((m) => m.label);
        return { type: "vector", labels, pinned: new Set(labels), counter: false };
      }
      case "histogram_quantile": {
        const arg = shapes[1] as SeriesOf;
        if (!arg.labels.includes("le"))
          this.fail(
            `histogram_quantile() needs _bucket series with an le label; this argument has labels ${list(arg.labels)}`,
            expr.args[1].span,
          );
        return {
          type: "vector",
          labels: arg.labels.filter((l) => l !== "le"),
          pinned: without(arg.pinned, ["le"]),
          counter: false,
        };
      }
      case "label_replace":
      case "label_join": {
        const dst = (expr.args[1] as { value: string }).value;
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(dst))
          this.fail(`invalid label name ${JSON.stringify(dst)} in ${name}`, expr.args[1].span);
        const arg = shapes[0] as SeriesOf;
        return {
          type: "vector",
          labels: unique([...arg.labels, dst]),
          pinned: without(arg.pinned, [dst]),
          counter: false,
        };
      }
      default:
        return { type: "vector", labels: series!.labels, pinned: series!.pinned, counter: false };
    }
  }

  private rangeArgument(expr: CallNode, series: SeriesOf): void {
    const arg = expr.args.find((a) => a.kind === "matrix" || a.kind === "subquery")!;
    const name = `${expr.func}()`;
    if (COUNTER_FUNCTIONS.has(expr.func) && arg.kind === "matrix" && !series.counter) {
      this.fail(
        `${name} needs a counter (a _total, _bucket, _sum or _count sample); ${arg.selector.metric} is a gauge: use avg_over_time() or max_over_time()`,
        arg.selector.span,
      );
    }
    if (arg.kind !== "matrix") return;
    const interval = this.ctx.scrapeIntervalMs;
    const needsTwo = [
      "rate",
      "increase",
      "irate",
      "delta",
      "idelta",
      "deriv",
      "predict_linear",
    ].includes(expr.func);
    if (needsTwo && arg.rangeMs < 2 * interval) {
      this.fail(
        `${name} over ${formatMs(arg.rangeMs)} sees fewer than two scrapes (one every ${formatMs(interval)}), so it never has a value; use at least ${formatMs(2 * interval)} (Prometheus advises 4 scrapes)`,
        arg.rangeSpan,
      );
    } else if (!needsTwo && arg.rangeMs < interval) {
      this.fail(
        `${name} over ${formatMs(arg.rangeMs)} is shorter than the scrape interval (${formatMs(interval)}), so it is often empty`,
        arg.rangeSpan,
      );
    }
  }

  private aggregate(expr: AggregateNode): Shape {
    const arg = this.vector(expr.arg, `${expr.op}()`);
    if (expr.param !== null) {
      const want = expr.op === "count_values" ? "string" : "scalar";
      const param = this.shape(expr.param);
      if (param.type !== want)
        this.fail(
          `${expr.op}() expects ${describe(want)} as its parameter, found ${describe(param.type)}`,
          expr.param.span,
        );
    }
    const grouping = expr.grouping;
    if (grouping !== null) {
      for (const label of grouping.labels) {
        if (!arg.labels.includes(label)) {
          this.fail(
            `${grouping.mode} (${label}): the series being aggregated have no label ${label}; their labels are ${list(arg.labels)}`,
            grouping.span,
          );
        }
      }
    }
    let labels: string[];
    if (expr.op === "topk" || expr.op === "bottomk") labels = [...arg.labels];
    else if (grouping === null) labels = [];
    else if (grouping.mode === "by") labels = unique(grouping.labels);
    else labels = arg.labels.filter((l) => !grouping.labels.includes(l));
    if (expr.op === "count_values") {
      const label = expr.param?.kind === "string" ? expr.param.value : "";
      labels = unique([...labels, label]);
    }
    return {
      type: "vector",
      labels,
      pinned: new Set([...arg.pinned].filter((l) => labels.includes(l))),
      counter: false,
    };
  }

  private binary(expr: BinaryNode): Shape {
    const comparison = COMPARISON_OPS.includes(expr.op);
    const setOp = SET_OPS.includes(expr.op);
    if (expr.bool && !comparison)
      this.fail("bool can only modify a comparison (==, !=, >, <, >=, <=)", expr.opSpan);
    const left = this.shape(expr.left);
    const right = this.shape(expr.right);
    for (const [side, shape] of [
      ["left", left],
      ["right", right],
    ] as const) {
      if (shape.type !== "scalar" && shape.type !== "vector")
        this.fail(
          `the ${side} side of ${expr.op} must be a number or an instant vector, found ${describe(shape.type)}`,
          (side === "left" ? expr.left : expr.right).span,
        );
    }
    if (left.type === "scalar" || right.type === "scalar") {
      if (setOp)
        this.fail(
          `${expr.op} is a set operator: both sides must be series, not numbers`,
          expr.opSpan,
        );
      if (expr.matching !== null)
        this.fail(
          "vector matching (on, ignoring, group_left, group_right) applies only between two vectors",
          expr.matching.span,
        );
      if (left.type === "scalar" && right.type === "scalar") {
        if (comparison && !expr.bool)
          this.fail(
            `comparisons between numbers must use bool (e.g. 1 ${expr.op} bool 2)`,
            expr.opSpan,
          );
        return { type: "scalar" };
      }
      return left.type === "vector" ? left : right;
    }
    const l = left as SeriesOf;
    const r = right as SeriesOf;
    if (setOp) {
      if (expr.matching !== null && expr.matching.card !== "one-to-one")
        this.fail(`no group_left/group_right with the set operator ${expr.op}`, expr.matching.span);
      if (expr.op !== "or") return { ...l, counter: false };
      return {
        type: "vector",
        labels: unique([...l.labels, ...r.labels]),
        pinned: new Set([...l.pinned].filter((x) => r.pinned.has(x))),
        counter: false,
      };
    }
    return checkMatching(l, r, expr.matching, expr.opSpan, (what, span) => this.fail(what, span));
  }

  private fail(what: string, span: Span): never {
    throw new PromqlError(what, span.start, this.text);
  }
}

function describe(type: string): string {
  switch (type) {
    case "scalar":
      return "a number (scalar)";
    case "string":
      return "a string";
    case "vector":
      return "an instant vector";
    default:
      return "a range vector";
  }
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a, ...b]);
}

function without(set: ReadonlySet<string>, drop: readonly string[]): Set<string> {
  return new Set([...set].filter((l) => !drop.includes(l)));
}
