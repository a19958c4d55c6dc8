// PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql): the production syntax the
// former hand-written subset refused parses, with Prometheus' precedence and associativity; what the
// evaluator does not support is refused by name, at its column. Mirrors
// src/observe/alerts/promql/parser.ts.
import { describe, expect, test } from "vitest";
import type { Expr } from "../../../src/observe/alerts/promql/ast.ts";
import { PromqlError } from "../../../src/observe/alerts/promql/errors.ts";
import { parseExpr } from "../../../src/observe/alerts/promql/parser.ts";

/** A compact rendering of a tree, to compare shapes. */
function show(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return String(expr.value);
    case "string":
      return JSON.stringify(expr.value);
    case "unary":
      return `${expr.op}${show(expr.arg)}`;
    case "selector": {
      const m = expr.matchers.map((x) => `${x.label}${x.op}${JSON.stringify(x.value)}`).join(",");
      return `${expr.metric ?? ""}{${m}}${expr.offsetMs === 0 ? "" : ` offset ${expr.offsetMs}ms`}`;
    }
    case "matrix":
      return `${show({ ...expr.selector, offsetMs: 0 })}[${expr.rangeMs}ms]${expr.selector.offsetMs === 0 ? "" : ` offset ${expr.selector.offsetMs}ms`}`;
    case "subquery":
      return `${show(expr.expr)}[${expr.rangeMs}ms:${expr.stepMs ?? ""}]`;
    case "call":
      return `${expr.func}(${expr.args.map(show).join(", ")})`;
    case "aggregate": {
      const g =
        expr.grouping === null ? "" : ` ${expr.grouping.mode} (${expr.grouping.labels.join(",")})`;
      const p = expr.param === null ? "" : `${show(expr.param)}, `;
      return `${expr.op}${g} (${p}${show(expr.arg)})`;
    }
    case "binary": {
      const m = expr.matching;
      const matching =
        m === null
          ? ""
          : ` ${m.on ? "on" : "ignoring"}(${m.labels.join(",")})${m.card === "one-to-one" ? "" : ` ${m.card === "many-to-one" ? "group_left" : "group_right"}(${m.include.join(",")})`}`;
      return `(${show(expr.left)} ${expr.op}${expr.bool ? " bool" : ""}${matching} ${show(expr.right)})`;
    }
  }
}

function failure(text: string): PromqlError {
  try {
    parseExpr(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PromqlError);
    return error as PromqlError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe("Prometheus' precedence and associativity", () => {
  test.each([
    ["a + b * c - d / e", "((a{} + (b{} * c{})) - (d{} / e{}))"],
    ["a - b - c", "((a{} - b{}) - c{})"],
    ["2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"],
    ["-a ^ 2", "-(a{} ^ 2)"],
    ["a > b + 1", "(a{} > (b{} + 1))"],
    ["a or b and c unless d", "(a{} or ((b{} and c{}) unless d{}))"],
    ["a and b > 1", "(a{} and (b{} > 1))"],
    ["a % 2 atan2 b", "((a{} % 2) atan2 b{})"],
  ])("%s", (text, shape) => {
    expect(show(parseExpr(text))).toBe(shape);
  });
});

describe("the production syntax the former subset refused", () => {
  test.each([
    [
      "sum(rate(x[5m])) > 1 and absent(up) == 0",
      "((sum (rate(x{}[300000ms])) > 1) and (absent(up{}) == 0))",
    ],
    ["x offset 1h", "x{} offset 3600000ms"],
    ["rate(x[5m] offset -1m)", "rate(x{}[300000ms] offset -60000ms)"],
    ["topk(3, x)", "topk (3, x{})"],
    ["bottomk by (a) (2, x)", "bottomk by (a) (2, x{})"],
    ["quantile_over_time(0.9, x[10m])", "quantile_over_time(0.9, x{}[600000ms])"],
    [
      "rate(a[1m]) / rate(b[1m]) > 2 * rate(c[1m])",
      "((rate(a{}[60000ms]) / rate(b{}[60000ms])) > (2 * rate(c{}[60000ms])))",
    ],
    [
      'label_replace(up, "svc", "$1", "job", "(.*)")',
      'label_replace(up{}, "svc", "$1", "job", "(.*)")',
    ],
    ["a > bool 0.5", "(a{} > bool 0.5)"],
    ["a * on(job) group_left(team) b", "(a{} * on(job) group_left(team) b{})"],
    ["a / ignoring(code) group_right b", "(a{} / ignoring(code) group_right() b{})"],
    ["max_over_time(rate(x[1m])[30m:1m])", "max_over_time(rate(x{}[60000ms])[1800000ms:60000])"],
    ["max_over_time(rate(x[1m])[30m:])", "max_over_time(rate(x{}[60000ms])[1800000ms:])"],
    ['count_values("v", x)', 'count_values ("v", x{})'],
    ["clamp_min(x, 0)", "clamp_min(x{}, 0)"],
    ["vector(1) + time()", "(vector(1) + time())"],
    ['{__name__="x", a="b"}', 'x{a="b"}'],
    ["sum without (a, b) (x)", "sum without (a,b) (x{})"],
    ["sum(x) by (a)", "sum by (a) (x{})"],
  ])("%s", (text, shape) => {
    expect(show(parseExpr(text))).toBe(shape);
  });

  test("number literals as Prometheus reads them: hex, exponents, Inf, NaN and durations in seconds", () => {
    const values = ["0x1f", "1e3", ".5", "Inf", "-Inf", "NaN", "5m"].map((t) => {
      const e = parseExpr(t);
      return e.kind === "number"
        ? e.value
        : e.kind === "unary" && e.arg.kind === "number"
          ? -e.arg.value
          : null;
    });
    expect(values).toEqual([31, 1000, 0.5, Infinity, -Infinity, NaN, 300]);
  });

  test("strings with Go's escapes in double and single quotes, none in backquotes", () => {
    const expr = parseExpr("m{a=\"x\\ty\", b='q\\'r', c=`raw\\n`}");
    expect(expr.kind === "selector" && expr.matchers.map((m) => m.value)).toEqual([
      "x\ty",
      "q'r",
      "raw\\n",
    ]);
  });

  test("regex matchers are anchored at both ends, as in Prometheus, and take Go's (?P<name>...) groups", () => {
    const expr = parseExpr('m{service=~"pay", x=~"(?P<n>a)b"}');
    const [pay, named] = expr.kind === "selector" ? expr.matchers.map((m) => m.regex!) : [];
    expect([pay.test("pay"), pay.test("payment"), pay.test("prepay")]).toEqual([
      true,
      false,
      false,
    ]);
    expect(named.exec("ab")?.groups?.n).toBe("a");
  });
});

describe("refused, naming what and where", () => {
  const cases: [string, string, number][] = [
    ["", "expected a PromQL expression, found nothing", 1],
    ["rate(m[1m] > 1", 'syntax error: unclosed "("', 5],
    ["m{a=x}", "syntax error", 5],
    ["sum by a (m)", "syntax error", 8],
    [
      "double_exponential_smoothing(m[5m], 0.5, 0.5)",
      "function double_exponential_smoothing() is not supported by meshsim's PromQL evaluator; supported functions: abs,",
      1,
    ],
    ["holt_winters(m[5m], 0.5, 0.5)", "unknown function holt_winters(): not a PromQL function", 1],
    ["sum(histogram_count(rate(m[5m])))", "function histogram_count() is not supported", 5],
    ["day_of_week() == 6", "function day_of_week() is not supported", 1],
    [
      "limitk(2, m)",
      "aggregation limitk is not supported by meshsim's PromQL evaluator; supported aggregations: sum,",
      1,
    ],
    ["m @ 100", "the @ modifier is not supported", 3],
    ["m @ start()", "the @ modifier is not supported", 3],
    ["sum(m) offset 5m", "offset must follow a selector, a range selector or a subquery", 8],
    ['m{a=~"(x"}', 'invalid regular expression "(x"', 6],
  ];
  test.each(cases)("%j", (text, message, column) => {
    const error = failure(text);
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
  });

  test("a long expression is quoted as an excerpt around the column", () => {
    const text = `sum(rate(meshsim_request_errors_total{service="api"}[1m])) / sum(double_exponential_smoothing(meshsim_requests_total{service="api"}[1m], 0.5, 0.5))`;
    const error = failure(text);
    expect(error.column).toBe(text.indexOf("double_exponential_smoothing") + 1);
    expect(error.message).toMatch(/at column \d+, near "\.\.\..*double_exponential/);
  });
});
