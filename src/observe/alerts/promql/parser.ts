// A recursive-descent parser for meshsim's PromQL subset, with Prometheus' precedence (* and /
// bind tighter than + and -, all left-associative) and its lexical rules (metric and label names,
// "…", '…' and `…` strings, durations such as 5m or 1h30m). Grammar:
//   alert     := expr ( > | >= | < | <= | == | != ) number
//   expr      := term (( + | - ) matching? term)*         matching := (on | ignoring) ( labels )
//   term      := unary (( * | / ) matching? unary)*
//   unary     := - unary | number | ( expr ) | aggregate | call | selector
//   aggregate := (sum|avg|max|min|count) grouping? ( expr ) grouping?   grouping := (by | without) ( labels )
//   call      := (rate|increase|avg_over_time|max_over_time) ( selector [ duration ] )
//              | histogram_quantile ( number , expr )
//   selector  := name ({ label (=|!=|=~|!~) string, ... })?
// What it leaves out is rejected with a message that says so (offset, @, subqueries, bool, and/or/unless).
import {
  AGGREGATIONS,
  type AggregateOp,
  type AlertExpr,
  type ArithmeticOp,
  type ComparisonOp,
  type Expr,
  type Grouping,
  type Matcher,
  type MatchOp,
  RANGE_FUNCTIONS,
  type RangeFunction,
  type SelectorNode,
  type VectorMatching,
} from "./ast.ts";
import { PromqlError } from "./errors.ts";

const COMPARISONS: readonly ComparisonOp[] = [">=", "<=", "==", "!=", ">", "<"];
const MATCH_OPS: readonly MatchOp[] = ["=~", "!~", "!=", "="];
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const DURATION_PART = /(\d+)(ms|y|w|d|h|m|s)/y;
const DURATION_UNITS: Record<string, number> = {
  y: 31_536_000_000,
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const UNIT_ORDER = ["y", "w", "d", "h", "m", "s", "ms"];
const FUNCTION_LIST = `${RANGE_FUNCTIONS.join("(), ")}(), histogram_quantile() and the aggregations ${AGGREGATIONS.join(", ")}`;
const UNSUPPORTED_KEYWORDS = new Set([
  "offset",
  "bool",
  "and",
  "or",
  "unless",
  "group_left",
  "group_right",
]);

/** Parses an alerting expression: `<vector expression> <comparison> <number>`. Throws PromqlError. */
export function parseAlertExpr(text: string): AlertExpr {
  return new Parser(text).alert();
}

/** Parses an expression without the final comparison (for tests and tools). Throws PromqlError. */
export function parseExpr(text: string): Expr {
  const parser = new Parser(text);
  const expr = parser.expr();
  parser.expectEnd();
  return expr;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  alert(): AlertExpr {
    this.skipSpace();
    if (this.atEnd())
      this.fail(
        "expected an expression such as rate(meshsim_requests_total[1m]) > 100, found nothing",
        0,
      );
    const body = this.expr();
    this.skipSpace();
    const opStart = this.pos;
    const op = this.comparisonOp();
    if (op === null) {
      const found = this.atEnd() ? "the end of the expression" : this.found();
      this.fail(
        `expected a comparison (>, >=, <, <=, ==, !=) with a number to end the alert expression, found ${found}`,
      );
    }
    const opSpan = { start: opStart, end: this.pos };
    this.skipSpace();
    if (this.text.startsWith("bool", this.pos))
      this.fail(
        "`bool` is not supported: an alert expression keeps the series for which the comparison holds",
      );
    if (this.peekMetricName() !== null || this.text[this.pos] === "(") {
      this.fail(
        "an alert expression compares with a number; to compare two vectors, divide them (e.g. a / b > 1)",
      );
    }
    const threshold = this.signedNumber("a number to compare with, e.g. 0.05");
    this.expectEnd();
    return { body, op, threshold, opSpan };
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.atEnd()) return;
    const start = this.pos;
    if (this.comparisonOp() !== null)
      this.fail("only one comparison is allowed, at the end of the expression", start);
    this.fail(`expected the end of the expression, found ${this.found()}`);
  }

  expr(): Expr {
    let left = this.term();
    for (;;) {
      this.skipSpace();
      const word = this.peekWord();
      if (word === "and" || word === "or" || word === "unless")
        this.fail(`\`${word}\` is not supported: meshsim's PromQL subset has no set operators`);
      const c = this.text[this.pos];
      if (c !== "+" && c !== "-") return left;
      left = this.binary(left, c, () => this.term());
    }
  }

  private term(): Expr {
    let left = this.unary();
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "%" || c === "^") this.fail(`the operator ${c} is not supported; use +, -, * or /`);
      if (c !== "*" && c !== "/") return left;
      left = this.binary(left, c, () => this.unary());
    }
  }

  private binary(left: Expr, op: ArithmeticOp, operand: () => Expr): Expr {
    const opSpan = { start: this.pos, end: this.pos + 1 };
    this.pos++;
    const matching = this.vectorMatching();
    const right = operand();
    return {
      kind: "binary",
      op,
      left,
      right,
      matching,
      opSpan,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  private vectorMatching(): VectorMatching | null {
    this.skipSpace();
    const start = this.pos;
    const word = this.peekWord();
    if (word === "group_left" || word === "group_right")
      this.fail(`${word} is not supported: meshsim matches vectors one-to-one only`);
    if (word !== "on" && word !== "ignoring") return null;
    this.pos += word.length;
    const labels = this.labelList(word);
    this.skipSpace();
    if (this.peekWord() === "group_left" || this.peekWord() === "group_right") {
      this.fail(`${this.peekWord()} is not supported: meshsim matches vectors one-to-one only`);
    }
    return { mode: word, labels, span: { start, end: this.pos } };
  }

  private unary(): Expr {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === "-") {
      this.pos++;
      const arg = this.unary();
      return { kind: "negate", arg, span: { start, end: arg.span.end } };
    }
    if (c === "(") {
      this.pos++;
      const inner = this.expr();
      this.skipSpace();
      if (this.comparisonOp() !== null)
        this.fail(
          "a comparison goes only at the end of the whole expression, not inside parentheses",
          this.pos - 1,
        );
      this.expect(")", "to close the parenthesis opened at column " + (start + 1));
      inner.span = { start, end: this.pos };
      return inner;
    }
    if (c !== undefined && (isDigit(c) || c === ".")) {
      const value = this.number("a number");
      return { kind: "number", value, span: { start, end: this.pos } };
    }
    if (c === "{")
      this.fail(
        'a selector needs a metric name before its {labels}, e.g. meshsim_requests_total{service="payment"}',
      );
    const word = this.peekMetricName();
    if (word === null) {
      const found = this.atEnd() ? "the end of the expression" : this.found();
      this.fail(
        `expected a metric name, a function, an aggregation, a number or "(", found ${found}`,
      );
    }
    if (UNSUPPORTED_KEYWORDS.has(word))
      this.fail(`\`${word}\` is not supported by meshsim's PromQL subset`);
    if ((AGGREGATIONS as readonly string[]).includes(word))
      return this.aggregate(word as AggregateOp);
    if ((RANGE_FUNCTIONS as readonly string[]).includes(word))
      return this.rangeCall(word as RangeFunction);
    if (word === "histogram_quantile") return this.quantile();
    const after = this.skipSpaceFrom(this.pos + word.length);
    if (this.text[after] === "(")
      this.fail(`unknown function ${word}(); meshsim supports ${FUNCTION_LIST}`);
    const selector = this.selector();
    this.skipSpace();
    if (this.text[this.pos] === "[") {
      this.fail(
        "a range selector such as [5m] goes only inside rate(), increase(), avg_over_time() or max_over_time()",
      );
    }
    return selector;
  }

  private aggregate(op: AggregateOp): Expr {
    const start = this.pos;
    this.pos += op.length;
    let grouping = this.grouping();
    this.skipSpace();
    this.expect("(", `after ${op}${grouping === null ? "" : ` ${grouping.mode} (...)`}`);
    const arg = this.expr();
    this.skipSpace();
    this.expect(")", `to close ${op}(`);
    const after = this.grouping();
    if (after !== null) {
      if (grouping !== null)
        this.fail(
          `${op} has two groupings; give either before or after its argument`,
          after.span.start,
        );
      grouping = after;
    }
    return { kind: "aggregate", op, grouping, arg, span: { start, end: this.pos } };
  }

  private grouping(): Grouping | null {
    this.skipSpace();
    const start = this.pos;
    const word = this.peekWord();
    if (word !== "by" && word !== "without") return null;
    this.pos += word.length;
    const labels = this.labelList(word);
    return { mode: word, labels, span: { start, end: this.pos } };
  }

  private labelList(keyword: string): string[] {
    this.skipSpace();
    this.expect("(", `after ${keyword}`);
    const labels: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ")") break;
      labels.push(this.labelName(`a label name in ${keyword}(...)`));
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== ")")
        this.fail(`expected "," or ")" in ${keyword}(...), found ${this.found()}`);
    }
    this.pos++;
    return labels;
  }

  private rangeCall(func: RangeFunction): Expr {
    const start = this.pos;
    this.pos += func.length;
    this.skipSpace();
    this.expect("(", `after ${func}`);
    this.skipSpace();
    if (this.peekMetricName() === null || this.isCallAhead()) {
      this.fail(
        `${func}() takes a metric with a range, e.g. ${func}(meshsim_requests_total[5m]), found ${this.found()}`,
      );
    }
    const selector = this.selector();
    this.skipSpace();
    const rangeStart = this.pos;
    if (this.text[this.pos] !== "[")
      this.fail(
        `${func}() needs a range after the metric, e.g. [5m], found ${this.atEnd() ? "the end of the expression" : this.found()}`,
      );
    this.pos++;
    this.skipSpace();
    const rangeMs = this.duration();
    this.skipSpace();
    if (this.text[this.pos] === ":") this.fail("subqueries ([range:step]) are not supported");
    this.expect("]", "to close the range");
    const rangeSpan = { start: rangeStart, end: this.pos };
    this.skipSpace();
    if (this.peekWord() === "offset" || this.text[this.pos] === "@")
      this.fail("offset and @ modifiers are not supported");
    this.expect(")", `to close ${func}(`);
    return {
      kind: "range-call",
      func,
      selector,
      rangeMs,
      rangeSpan,
      span: { start, end: this.pos },
    };
  }

  private quantile(): Expr {
    const start = this.pos;
    this.pos += "histogram_quantile".length;
    this.skipSpace();
    this.expect("(", "after histogram_quantile");
    this.skipSpace();
    const phiStart = this.pos;
    const phi = this.signedNumber("a quantile φ from 0 to 1, e.g. 0.99");
    if (!(phi >= 0 && phi <= 1))
      this.fail(`the quantile φ must be from 0 to 1, found ${phi}`, phiStart);
    this.skipSpace();
    this.expect(",", "after the quantile φ");
    const arg = this.expr();
    this.skipSpace();
    this.expect(")", "to close histogram_quantile(");
    return { kind: "histogram-quantile", phi, arg, span: { start, end: this.pos } };
  }

  private selector(): SelectorNode {
    const start = this.pos;
    const metric = this.peekMetricName()!;
    this.pos += metric.length;
    const nameSpan = { start, end: this.pos };
    const matchers: Matcher[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "{") {
      this.pos++;
      for (;;) {
        this.skipSpace();
        if (this.text[this.pos] === "}") break;
        matchers.push(this.matcher());
        this.skipSpace();
        if (this.text[this.pos] === ",") this.pos++;
        else if (this.text[this.pos] !== "}")
          this.fail(`expected "," or "}" between label matchers, found ${this.found()}`);
      }
      this.pos++;
    }
    return { kind: "selector", metric, matchers, span: { start, end: this.pos }, nameSpan };
  }

  private matcher(): Matcher {
    const start = this.pos;
    const label = this.labelName("a label name, e.g. service");
    this.skipSpace();
    const op = MATCH_OPS.find((candidate) => this.text.startsWith(candidate, this.pos));
    if (op === undefined)
      this.fail(`expected =, !=, =~ or !~ after the label ${label}, found ${this.found()}`);
    this.pos += op.length;
    this.skipSpace();
    const valueStart = this.pos;
    const value = this.string();
    let regex: RegExp | null = null;
    if (op === "=~" || op === "!~") {
      try {
        regex = new RegExp(`^(?:${value})$`);
      } catch (error) {
        const reason =
          error instanceof Error
            ? error.message.replace(/^Invalid regular expression: /, "")
            : String(error);
        this.fail(`invalid regular expression ${JSON.stringify(value)} (${reason})`, valueStart);
      }
    }
    return { label, op, value, regex, span: { start, end: this.pos } };
  }

  private string(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'" && quote !== "`")
      this.fail(`expected a quoted label value, e.g. "payment", found ${this.found()}`);
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      if (this.atEnd()) this.fail(`the string opened at column ${start + 1} is not closed`, start);
      const c = this.text[this.pos++];
      if (c === quote) return out;
      if (c === "\\" && quote !== "`") {
        const next = this.text[this.pos++];
        if (next === "n") out += "\n";
        else if (next === "t") out += "\t";
        else if (next === "\\" || next === '"' || next === "'") out += next;
        else this.fail(`unknown escape \\${next ?? ""} in a string`, this.pos - 2);
      } else out += c;
    }
  }

  private duration(): number {
    const start = this.pos;
    let totalMs = 0;
    let lastRank = -1;
    while (this.pos < this.text.length && isDigit(this.text[this.pos])) {
      DURATION_PART.lastIndex = this.pos;
      const part = DURATION_PART.exec(this.text);
      if (part === null)
        this.fail(
          "expected a duration such as 30s, 5m or 1h30m (units ms, s, m, h, d, w, y)",
          start,
        );
      const rank = UNIT_ORDER.indexOf(part[2]);
      if (rank <= lastRank)
        this.fail(
          "a duration's units go from largest to smallest, each once (e.g. 1h30m)",
          this.pos,
        );
      lastRank = rank;
      totalMs += Number(part[1]) * DURATION_UNITS[part[2]];
      this.pos += part[0].length;
    }
    if (this.pos === start)
      this.fail(`expected a duration such as 30s, 5m or 1h30m, found ${this.found()}`);
    if (totalMs === 0) this.fail("a range must be longer than 0", start);
    return totalMs;
  }

  private signedNumber(what: string): number {
    this.skipSpace();
    const negative = this.text[this.pos] === "-";
    if (negative || this.text[this.pos] === "+") this.pos++;
    const value = this.number(what);
    return negative ? -value : value;
  }

  private number(what: string): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null)
      this.fail(
        `expected ${what}, found ${this.atEnd() ? "the end of the expression" : this.found()}`,
      );
    this.pos += match[0].length;
    if (isLetter(this.text[this.pos] ?? ""))
      this.fail(
        `a number cannot be followed by "${this.text[this.pos]}" (durations go only inside [ ])`,
      );
    return Number(match[0]);
  }

  private labelName(what: string): string {
    LABEL_NAME.lastIndex = this.pos;
    const match = LABEL_NAME.exec(this.text);
    if (match === null)
      this.fail(
        `expected ${what}, found ${this.atEnd() ? "the end of the expression" : this.found()}`,
      );
    this.pos += match[0].length;
    return match[0];
  }

  private comparisonOp(): ComparisonOp | null {
    const op = COMPARISONS.find((candidate) => this.text.startsWith(candidate, this.pos));
    if (op === undefined) return null;
    this.pos += op.length;
    return op;
  }

  private expect(token: string, context: string): void {
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return;
    }
    this.fail(
      `expected "${token}" ${context}, found ${this.atEnd() ? "the end of the expression" : this.found()}`,
    );
  }

  private peekMetricName(): string | null {
    METRIC_NAME.lastIndex = this.pos;
    return METRIC_NAME.exec(this.text)?.[0] ?? null;
  }

  private peekWord(): string | null {
    LABEL_NAME.lastIndex = this.pos;
    return LABEL_NAME.exec(this.text)?.[0] ?? null;
  }

  /** Whether the name at the cursor is followed by "(" (a function call, not a selector). */
  private isCallAhead(): boolean {
    const name = this.peekMetricName();
    return name !== null && this.text[this.skipSpaceFrom(this.pos + name.length)] === "(";
  }

  private found(): string {
    const word = this.peekMetricName();
    if (word !== null) return JSON.stringify(word);
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number !== null) return JSON.stringify(number[0]);
    return JSON.stringify(this.text[this.pos]);
  }

  private skipSpace(): void {
    this.pos = this.skipSpaceFrom(this.pos);
  }

  private skipSpaceFrom(pos: number): number {
    while (pos < this.text.length && /\s/.test(this.text[pos])) pos++;
    return pos;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private fail(what: string, at: number = this.pos): never {
    throw new PromqlError(what, at, this.text);
  }
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
