// The PromQL subset's parser: precedence and associativity, every construct it accepts, and for
// each kind of mistake the message and the column it points at. Mirrors src/observe/alerts/promql/parser.ts.
import { describe, expect, test } from "vitest";
import type { Expr } from "../../../src/observe/alerts/promql/ast.ts";
import { PromqlError } from "../../../src/observe/alerts/promql/errors.ts";
import { parseAlertExpr, parseExpr } from "../../../src/observe/alerts/promql/parser.ts";

/** A compact rendering of a tree, to compare shapes: (a / b), sum by (x) (...), rate(m{...}[60000ms]). */
function show(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return String(expr.value);
    case "negate":
      return `-${show(expr.arg)}`;
    case "selector":
      return `${expr.metric}{${expr.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(",")}}`;
    case "range-call":
      return `${expr.func}(${show(expr.selector)}[${expr.rangeMs}ms])`;
    case "histogram-quantile":
      return `histogram_quantile(${expr.phi}, ${show(expr.arg)})`;
    case "aggregate":
      return `${expr.op}${expr.grouping === null ? "" : ` ${expr.grouping.mode} (${expr.grouping.labels.join(",")})`} (${show(expr.arg)})`;
    case "binary":
      return `(${show(expr.left)} ${expr.op}${expr.matching === null ? "" : ` ${expr.matching.mode}(${expr.matching.labels.join(",")})`} ${show(expr.right)})`;
  }
}

function failure(text: string): PromqlError {
  try {
    parseAlertExpr(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PromqlError);
    return error as PromqlError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe("valid expressions", () => {
  test("a ratio of sums of rates compared with a number", () => {
    const alert = parseAlertExpr(
      'sum(rate(meshsim_request_errors_total{service="api"}[1m])) / sum(rate(meshsim_requests_total{service="api"}[1m])) > 0.05',
    );
    expect(show(alert.body)).toBe(
      '(sum (rate(meshsim_request_errors_total{service="api"}[60000ms])) / sum (rate(meshsim_requests_total{service="api"}[60000ms])))',
    );
    expect(alert.op).toBe(">");
    expect(alert.threshold).toBe(0.05);
  });

  test("* and / bind tighter than + and -, and all are left-associative", () => {
    expect(show(parseExpr("a + b * c - d / e"))).toBe("((a{} + (b{} * c{})) - (d{} / e{}))");
    expect(show(parseExpr("a - b - c"))).toBe("((a{} - b{}) - c{})");
    expect(show(parseExpr("a / (b + c)"))).toBe("(a{} / (b{} + c{}))");
    expect(show(parseExpr("-a * 2"))).toBe("(-a{} * 2)");
  });

  test("every matcher operator, with double, single and back quotes", () => {
    const expr = parseExpr(`m{a="x", b!='y', c=~"p.*", d!~\`q|r\`,}`);
    expect(show(expr)).toBe('m{a="x",b!="y",c=~"p.*",d!~"q|r"}');
  });

  test("regex matchers are anchored at both ends, as in Prometheus", () => {
    const expr = parseExpr('m{service=~"pay"}');
    const regex = expr.kind === "selector" ? expr.matchers[0].regex! : null;
    expect(regex?.test("pay")).toBe(true);
    expect(regex?.test("payment")).toBe(false);
    expect(regex?.test("prepay")).toBe(false);
  });

  test("aggregations take their grouping before or after the argument", () => {
    expect(show(parseExpr("sum by (service, le) (m)"))).toBe("sum by (service,le) (m{})");
    expect(show(parseExpr("max(m) without (instance)"))).toBe("max without (instance) (m{})");
    expect(show(parseExpr("count(m)"))).toBe("count (m{})");
  });

  test("vector matching with on() and ignoring()", () => {
    expect(show(parseExpr("a / on(service) b"))).toBe("(a{} / on(service) b{})");
    expect(show(parseExpr("a - ignoring(status, le) b"))).toBe("(a{} - ignoring(status,le) b{})");
  });

  test("range functions, durations with several units, and histogram_quantile", () => {
    expect(show(parseExpr("increase(m[1h30m])"))).toBe("increase(m{}[5400000ms])");
    expect(show(parseExpr("avg_over_time(m[90s])"))).toBe("avg_over_time(m{}[90000ms])");
    expect(show(parseExpr("max_over_time(m[500ms])"))).toBe("max_over_time(m{}[500ms])");
    expect(show(parseExpr("histogram_quantile(0.99, sum by (le) (rate(b[5m])))"))).toBe(
      "histogram_quantile(0.99, sum by (le) (rate(b{}[300000ms])))",
    );
  });

  test("every comparison operator, and negative and scientific thresholds", () => {
    for (const op of [">", ">=", "<", "<=", "==", "!="])
      expect(parseAlertExpr(`m ${op} 1`).op).toBe(op);
    expect(parseAlertExpr("m < -2.5").threshold).toBe(-2.5);
    expect(parseAlertExpr("m>1e-3").threshold).toBe(0.001);
  });
});

describe("invalid expressions say what was expected, and where", () => {
  const cases: [string, string, number][] = [
    ["", "expected an expression such as", 1],
    [
      "rate(m[1m])",
      "expected a comparison (>, >=, <, <=, ==, !=) with a number to end the alert expression, found the end of the expression",
      12,
    ],
    [
      "rate(m[1m]) >",
      "expected a number to compare with, e.g. 0.05, found the end of the expression",
      14,
    ],
    ["rate(m[1m] > 1", 'expected ")" to close rate(, found ">"', 12],
    ["rate(m) > 1", "rate() needs a range after the metric, e.g. [5m]", 7],
    ["m[5m] > 1", "a range selector such as [5m] goes only inside rate()", 2],
    ["rate(m[5x]) > 1", "expected a duration such as 30s, 5m or 1h30m", 8],
    ["rate(m[30m5h]) > 1", "a duration's units go from largest to smallest", 11],
    ["rate(m[0s]) > 1", "a range must be longer than 0", 8],
    ["rate(m[5m:1m]) > 1", "subqueries ([range:step]) are not supported", 10],
    ["rate(m[5m] offset 1m) > 1", "offset and @ modifiers are not supported", 12],
    ["rate(sum(m)[5m]) > 1", "rate() takes a metric with a range", 6],
    ["foo(m) > 1", "unknown function foo(); meshsim supports rate(), increase()", 1],
    ['m{a="x" b="y"} > 1', 'expected "," or "}" between label matchers, found "b"', 9],
    ["m{a=x} > 1", 'expected a quoted label value, e.g. "payment", found "x"', 5],
    ['m{a~"x"} > 1', "expected =, !=, =~ or !~ after the label a", 4],
    ['m{a="x} > 1', "the string opened at column 5 is not closed", 5],
    ['m{a=~"(x"} > 1', 'invalid regular expression "(x"', 6],
    ['{a="x"} > 1', "a selector needs a metric name", 1],
    ["sum by (a) (m) by (b) > 1", "sum has two groupings", 16],
    ["sum by a (m) > 1", 'expected "(" after by, found "a"', 8],
    [
      "a / group_left b > 1",
      "group_left is not supported: meshsim matches vectors one-to-one only",
      5,
    ],
    ["a and b > 1", "`and` is not supported", 3],
    ["a % 2 > 1", "the operator % is not supported", 3],
    ["(m > 1)", "a comparison goes only at the end of the whole expression", 4],
    ["m > 1 > 2", "only one comparison is allowed, at the end of the expression", 7],
    ["m > bool 1", "`bool` is not supported", 5],
    ["a > b", "an alert expression compares with a number; to compare two vectors, divide them", 5],
    ["histogram_quantile(1.5, b) > 1", "the quantile φ must be from 0 to 1, found 1.5", 20],
    ["histogram_quantile(b) > 1", "expected a quantile φ from 0 to 1, e.g. 0.99", 20],
    ["m > 5m", 'a number cannot be followed by "m" (durations go only inside [ ])', 6],
  ];
  test.each(cases)("%j", (text, message, column) => {
    const error = failure(text);
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`at column ${column}`);
  });

  test("a long expression is quoted as an excerpt around the column", () => {
    const text = `sum(rate(meshsim_request_errors_total{service="api"}[1m])) / sum(rate(meshsim_requests_total{service="api"}[1m]) > 0.05`;
    const error = failure(text);
    expect(error.column).toBe(text.indexOf(">") + 1);
    expect(error.message).toMatch(/at column \d+, near "\.\.\..*\[1m\]\) > 0\.05"$/);
  });
});
