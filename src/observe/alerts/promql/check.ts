// The static check of an alert expression against what meshsim scrapes, run once at load time:
// metric and label names exist, `=` matchers name a load, service, instance or bucket that exists,
// rate() and increase() read counters over a range that holds at least two scrapes, and binary
// operations between vectors match one-to-one (Prometheus would fail or match nothing at run
// time). It infers each node's label names, and which of them a `=` matcher pins to one value.
import { formatDuration as formatMs } from "../../../kernel/duration.ts";
import type { AlertExpr, Expr, Matcher, SelectorNode, Span, VectorMatching } from "./ast.ts";
import { PromqlError } from "./errors.ts";
import { KNOWN_SAMPLES, type SampleInfo, unknownSampleMessage } from "./metrics.ts";

export interface CheckContext {
  /** Rules are evaluated at every scrape; a range must hold enough scrapes to give a value. */
  scrapeIntervalMs: number;
  /** The values a `=` matcher on these labels may name (load, service, instance, source, target, le, ...). */
  labelValues: Readonly<Record<string, readonly string[]>>;
}

type Shape =
  | { kind: "scalar" }
  | { kind: "vector"; labels: readonly string[]; pinned: ReadonlySet<string> };
type VectorShape = Extract<Shape, { kind: "vector" }>;

/** Throws PromqlError at the first problem. */
export function checkAlertExpr(alert: AlertExpr, text: string, ctx: CheckContext): void {
  const shape = new Checker(text, ctx).shape(alert.body);
  if (shape.kind === "scalar") {
    throw new PromqlError(
      "the expression before the comparison is a plain number; an alert needs series, e.g. a metric",
      alert.body.span.start,
      text,
    );
  }
}

class Checker {
  constructor(
    private readonly text: string,
    private readonly ctx: CheckContext,
  ) {}

  shape(expr: Expr): Shape {
    switch (expr.kind) {
      case "number":
        return { kind: "scalar" };
      case "negate":
        return this.shape(expr.arg);
      case "selector":
        return this.selector(expr).shape;
      case "range-call":
        return this.rangeCall(expr);
      case "histogram-quantile": {
        const arg = this.vector(expr.arg, "histogram_quantile()");
        if (!arg.labels.includes("le")) {
          this.fail(
            `histogram_quantile() needs _bucket series with an le label; this argument has labels ${list(arg.labels)}`,
            expr.arg.span,
          );
        }
        return {
          kind: "vector",
          labels: arg.labels.filter((l) => l !== "le"),
          pinned: without(arg.pinned, ["le"]),
        };
      }
      case "aggregate": {
        const arg = this.vector(expr.arg, `${expr.op}()`);
        if (expr.grouping === null) return { kind: "vector", labels: [], pinned: new Set() };
        for (const label of expr.grouping.labels) {
          if (!arg.labels.includes(label)) {
            this.fail(
              `${expr.grouping.mode} (${label}): the series being aggregated have no label ${label}; their labels are ${list(arg.labels)}`,
              expr.grouping.span,
            );
          }
        }
        const kept =
          expr.grouping.mode === "by"
            ? unique(expr.grouping.labels)
            : arg.labels.filter((l) => !expr.grouping!.labels.includes(l));
        return {
          kind: "vector",
          labels: kept,
          pinned: new Set([...arg.pinned].filter((l) => kept.includes(l))),
        };
      }
      case "binary": {
        const left = this.shape(expr.left);
        const right = this.shape(expr.right);
        if (left.kind === "scalar" && right.kind === "scalar") {
          if (expr.matching !== null)
            this.fail(
              `${expr.matching.mode}(...) applies only between two vectors`,
              expr.matching.span,
            );
          return left;
        }
        if (left.kind === "scalar" || right.kind === "scalar") {
          if (expr.matching !== null)
            this.fail(
              `${expr.matching.mode}(...) applies only between two vectors`,
              expr.matching.span,
            );
          return left.kind === "vector" ? left : right;
        }
        return this.matched(left, right, expr.matching, expr.opSpan);
      }
    }
  }

  private vector(expr: Expr, where: string): VectorShape {
    const shape = this.shape(expr);
    if (shape.kind === "scalar")
      this.fail(`${where} needs series, found a plain number`, expr.span);
    return shape;
  }

  private selector(node: SelectorNode): { sample: SampleInfo; shape: VectorShape } {
    const sample = KNOWN_SAMPLES.get(node.metric);
    if (sample === undefined) this.fail(unknownSampleMessage(node.metric), node.nameSpan);
    const pinned = new Set<string>();
    for (const matcher of node.matchers) {
      this.matcher(matcher, sample);
      if (matcher.op === "=") pinned.add(matcher.label);
    }
    return { sample, shape: { kind: "vector", labels: sample.labels, pinned } };
  }

  private matcher(matcher: Matcher, sample: SampleInfo): void {
    if (!sample.labels.includes(matcher.label)) {
      this.fail(
        `${sample.name} has no label ${matcher.label}; its labels are ${list(sample.labels)}`,
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

  private rangeCall(expr: Extract<Expr, { kind: "range-call" }>): Shape {
    const { sample, shape } = this.selector(expr.selector);
    const interval = this.ctx.scrapeIntervalMs;
    if (expr.func === "rate" || expr.func === "increase") {
      if (!sample.counter) {
        this.fail(
          `${expr.func}() needs a counter (a _total, _bucket, _sum or _count sample); ${sample.name} is a gauge: use avg_over_time() or max_over_time()`,
          expr.selector.span,
        );
      }
      if (expr.rangeMs < 2 * interval) {
        this.fail(
          `${expr.func}() over ${formatMs(expr.rangeMs)} sees fewer than two scrapes (one every ${formatMs(interval)}), so it never has a value; use at least ${formatMs(2 * interval)} (Prometheus advises 4 scrapes)`,
          expr.rangeSpan,
        );
      }
    } else if (expr.rangeMs < interval) {
      this.fail(
        `${expr.func}() over ${formatMs(expr.rangeMs)} is shorter than the scrape interval (${formatMs(interval)}), so it is often empty`,
        expr.rangeSpan,
      );
    }
    return shape;
  }

  /** One-to-one matching, as Prometheus does it, with the checks that make it well defined. */
  private matched(
    left: VectorShape,
    right: VectorShape,
    matching: VectorMatching | null,
    opSpan: Span,
  ): VectorShape {
    const on = matching?.mode === "on";
    const named = matching?.labels ?? [];
    const signature = (side: VectorShape) =>
      on ? named : side.labels.filter((l) => !named.includes(l));
    const where = matching?.span ?? opSpan;
    if (on) {
      for (const [side, shape] of [
        ["left", left],
        ["right", right],
      ] as const) {
        const missing = named.filter((l) => !shape.labels.includes(l));
        if (missing.length > 0)
          this.fail(
            `on(${named.join(", ")}): the ${side} side has no label ${missing.join(", ")}; its labels are ${list(shape.labels)}`,
            where,
          );
      }
    }
    const sigLeft = signature(left);
    const sigRight = signature(right);
    if (!sameSet(sigLeft, sigRight)) {
      this.fail(
        `the two sides have different labels (left: ${list(sigLeft)}; right: ${list(sigRight)}), so no series would match; ` +
          "aggregate both to the same labels first (e.g. sum by (service) (...)) or match on(...) / ignoring(...)",
        where,
      );
    }
    for (const [side, shape, sig] of [
      ["left", left, sigLeft],
      ["right", right, sigRight],
    ] as const) {
      const loose = shape.labels.filter((l) => !sig.includes(l) && !shape.pinned.has(l));
      if (loose.length > 0) {
        this.fail(
          `several series of the ${side} side could match one series of the other (they differ in ${loose.join(", ")}); ` +
            `meshsim matches one-to-one only (no group_left/group_right): aggregate them first, e.g. sum without (${loose.join(", ")}) (...), or pin ${loose.join(", ")} with a matcher`,
          where,
        );
      }
    }
    const labels = on ? named : left.labels.filter((l) => !named.includes(l));
    return {
      kind: "vector",
      labels,
      pinned: new Set([...left.pinned].filter((l) => labels.includes(l))),
    };
  }

  private fail(what: string, span: Span): never {
    throw new PromqlError(what, span.start, this.text);
  }
}

function list(labels: readonly string[]): string {
  return labels.length === 0 ? "(none)" : labels.join(", ");
}

function unique(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}

function without(set: ReadonlySet<string>, drop: readonly string[]): Set<string> {
  return new Set([...set].filter((l) => !drop.includes(l)));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l) => b.includes(l));
}
