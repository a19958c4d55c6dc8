// Parses PromQL with Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of
// Prometheus' web UI), so every valid expression parses as Prometheus parses it (precedence,
// associativity, literals), then reads its tree into meshsim's syntax tree (ast.ts). A syntax error
// and anything the evaluator does not support (the @ modifier, experimental syntax, functions and
// aggregations outside functions.ts's list) is a PromqlError naming it, at its column. The grammar
// is loaded (its CommonJS build, synchronously) the first time an expression is parsed, so a run
// whose file has no alert rules never pays for it (~9 ms of governed-chain's 0.2 s start,
// docs/performance.md 2026-12-07).
import { createRequire } from "node:module";
import type { SyntaxNode } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import {
  AGGREGATIONS,
  type AggregateOp,
  type BinaryOp,
  type Expr,
  type Grouping,
  type Matcher,
  type MatchOp,
  type SelectorNode,
  type Span,
  type VectorMatching,
} from "./ast.ts";
import { PromqlError } from "./errors.ts";
import { FUNCTIONS, supportedFunctions } from "./functions.ts";
import { durationMs, unquote } from "./literals.ts";
import { anchoredRegex } from "./values.ts";

let promql: LRParser | undefined;

/** Prometheus' PromQL grammar, loaded on first use (an ES import would load it with the module). */
function promqlParser(): LRParser {
  promql ??= (createRequire(import.meta.url)("@prometheus-io/lezer-promql") as { parser: LRParser })
    .parser;
  return promql;
}

/** Parses a PromQL expression. Throws PromqlError. */
export function parseExpr(text: string): Expr {
  if (text.trim() === "")
    throw new PromqlError("expected a PromQL expression, found nothing", 0, text);
  const tree = promqlParser().parse(text);
  let error: SyntaxNode | null = null;
  tree.iterate({
    enter: (node) => {
      if (error === null && node.type.isError) error = node.node;
      return error === null;
    },
  });
  if (error !== null) throw syntaxError(error, text);
  const top = tree.topNode.firstChild;
  if (top === null) throw new PromqlError("expected a PromQL expression, found nothing", 0, text);
  return new Reader(text).expr(top);
}

function syntaxError(node: SyntaxNode, text: string): PromqlError {
  const unclosed = unclosedBracket(text);
  if (unclosed !== null)
    return new PromqlError(
      `syntax error: unclosed ${JSON.stringify(text[unclosed])}`,
      unclosed,
      text,
    );
  const call = /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(text.slice(0, node.from));
  if (call !== null && text[node.from] === "(")
    return new PromqlError(
      `unknown function ${call[1]}(): not a PromQL function; supported functions: ${supportedFunctions()}`,
      call.index,
      text,
    );
  const found = text.slice(node.from, Math.max(node.to, node.from + 1)).trim();
  const what =
    node.from >= text.trimEnd().length
      ? "unexpected end of the expression"
      : `unexpected ${JSON.stringify(found.slice(0, 20))}`;
  return new PromqlError(`syntax error: ${what}`, node.from, text);
}

/** Offset of the first (, [ or { never closed (outside strings), or null. */
function unclosedBracket(text: string): number | null {
  const open: number[] = [];
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== "") {
      if (c === "\\" && quote !== "`") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") open.push(i);
    else if (c === ")" || c === "]" || c === "}") open.pop();
  }
  return open.length > 0 ? open[0] : null;
}

const OPERATORS: Readonly<Record<string, BinaryOp>> = {
  Add: "+",
  Sub: "-",
  Mul: "*",
  Div: "/",
  Mod: "%",
  Pow: "^",
  Atan2: "atan2",
  Eql: "==",
  Neq: "!=",
  Gtr: ">",
  Lss: "<",
  Gte: ">=",
  Lte: "<=",
  And: "and",
  Or: "or",
  Unless: "unless",
};

class Reader {
  constructor(private readonly text: string) {}

  expr(node: SyntaxNode): Expr {
    const span = this.span(node);
    switch (node.name) {
      case "ParenExpr":
        return this.expr(this.only(node));
      case "NumberDurationLiteral":
        return { kind: "number", value: this.number(node), span };
      case "StringLiteral":
        return { kind: "string", value: this.string(node), span };
      case "VectorSelector":
        return this.selector(node);
      case "MatrixSelector": {
        const [selector, range] = this.children(node);
        return {
          kind: "matrix",
          selector: this.selector(selector),
          rangeMs: this.duration(range),
          rangeSpan: this.span(range),
          span,
        };
      }
      case "SubqueryExpr": {
        const [inner, range, step] = this.children(node);
        return {
          kind: "subquery",
          expr: this.expr(inner),
          rangeMs: this.duration(range),
          stepMs: step === undefined ? null : this.duration(step),
          offsetMs: 0,
          rangeSpan: this.span(range),
          span,
        };
      }
      case "OffsetExpr":
        return this.offset(node);
      case "UnaryExpr": {
        const [op, arg] = this.children(node);
        return { kind: "unary", op: this.slice(op) === "-" ? "-" : "+", arg: this.expr(arg), span };
      }
      case "FunctionCall":
        return this.call(node);
      case "AggregateExpr":
        return this.aggregate(node);
      case "BinaryExpr":
        return this.binary(node);
      case "StepInvariantExpr":
        return this.unsupported(
          node.getChild("At") ?? node,
          "the @ modifier is not supported: meshsim evaluates every rule at the current scrape",
        );
      default:
        return this.unsupported(
          node,
          `${JSON.stringify(this.slice(node))} is not supported by meshsim's PromQL evaluator`,
        );
    }
  }

  private selector(node: SyntaxNode): SelectorNode {
    if (node.name !== "VectorSelector")
      this.unsupported(
        node,
        `expected a metric selector, found ${JSON.stringify(this.slice(node))}`,
      );
    const identifier = node.getChild("Identifier");
    let metric = identifier === null ? null : this.slice(identifier);
    let nameSpan = identifier === null ? this.span(node) : this.span(identifier);
    const matchers: Matcher[] = [];
    for (const m of node.getChild("LabelMatchers")?.getChildren("QuotedLabelName") ?? []) {
      // {"metric.name", ...}: a quoted metric name.
      metric = this.string(this.only(m));
      nameSpan = this.span(m);
    }
    const list = node.getChild("LabelMatchers");
    for (const m of [
      ...(list?.getChildren("UnquotedLabelMatcher") ?? []),
      ...(list?.getChildren("QuotedLabelMatcher") ?? []),
    ].sort((a, b) => a.from - b.from)) {
      const nameNode = m.getChild("LabelName") ?? m.getChild("QuotedLabelName")!;
      const label =
        nameNode.name === "LabelName" ? this.slice(nameNode) : this.string(this.only(nameNode));
      const op = this.slice(m.getChild("MatchOp")!) as MatchOp;
      const valueNode = m.getChildren("StringLiteral").at(-1)!;
      const value = this.string(valueNode);
      let regex: RegExp | null = null;
      if (op === "=~" || op === "!~") {
        try {
          regex = anchoredRegex(value);
        } catch (error) {
          throw new PromqlError(
            `invalid regular expression ${JSON.stringify(value)}: ${(error as Error).message}`,
            valueNode.from,
            this.text,
          );
        }
      }
      if (label === "__name__" && op === "=" && metric === null) {
        metric = value;
        nameSpan = this.span(m);
        continue;
      }
      matchers.push({ label, op, value, regex, span: this.span(m) });
    }
    return { kind: "selector", metric, matchers, offsetMs: 0, span: this.span(node), nameSpan };
  }

  private offset(node: SyntaxNode): Expr {
    const [inner, , amount] = this.children(node);
    const expr = this.expr(inner);
    const offsetMs = this.signedDuration(amount);
    const span = this.span(node);
    switch (expr.kind) {
      case "selector":
        return { ...expr, offsetMs, span };
      case "matrix":
        return { ...expr, selector: { ...expr.selector, offsetMs }, span };
      case "subquery":
        return { ...expr, offsetMs, span };
      default:
        return this.unsupported(
          node.getChild("Offset") ?? node,
          "offset must follow a selector, a range selector or a subquery",
        );
    }
  }

  private call(node: SyntaxNode): Expr {
    const identifier = node.getChild("FunctionIdentifier")!;
    const func = this.slice(identifier);
    if (!(func in FUNCTIONS))
      this.unsupported(
        identifier,
        `function ${func}() is not supported by meshsim's PromQL evaluator; supported functions: ${supportedFunctions()}`,
      );
    const body = node.getChild("FunctionCallBody");
    const args = body === null ? [] : this.children(body).map((a) => this.expr(a));
    return { kind: "call", func, args, nameSpan: this.span(identifier), span: this.span(node) };
  }

  private aggregate(node: SyntaxNode): Expr {
    const opNode = node.getChild("AggregateOp")!;
    const op = this.slice(opNode);
    if (!(AGGREGATIONS as readonly string[]).includes(op))
      this.unsupported(
        opNode,
        `aggregation ${op} is not supported by meshsim's PromQL evaluator; supported aggregations: ${AGGREGATIONS.join(", ")}`,
      );
    const modifier = node.getChild("AggregateModifier");
    let grouping: Grouping | null = null;
    if (modifier !== null) {
      const mode = modifier.getChild("By") !== null ? "by" : "without";
      grouping = {
        mode,
        labels: this.labels(modifier.getChild("GroupingLabels")),
        span: this.span(modifier),
      };
    }
    const args = this.children(node.getChild("FunctionCallBody")!).map((a) => this.expr(a));
    const takesParam = ["topk", "bottomk", "quantile", "count_values"].includes(op);
    if (args.length !== (takesParam ? 2 : 1)) {
      throw new PromqlError(
        `${op}() takes ${takesParam ? "a parameter and an expression" : "one expression"}, found ${args.length} argument${args.length === 1 ? "" : "s"}`,
        opNode.from,
        this.text,
      );
    }
    return {
      kind: "aggregate",
      op: op as AggregateOp,
      param: takesParam ? args[0] : null,
      grouping,
      arg: args[args.length - 1],
      span: this.span(node),
    };
  }

  private binary(node: SyntaxNode): Expr {
    const parts = this.children(node);
    const left = parts[0];
    const right = parts[parts.length - 1];
    const opNode = parts[1];
    const op = OPERATORS[opNode.name];
    if (op === undefined)
      this.unsupported(
        opNode,
        `the operator ${this.slice(opNode)} is not supported by meshsim's PromQL evaluator`,
      );
    const fill = node.getChild("FillModifier");
    if (fill !== null)
      this.unsupported(fill, "fill modifiers are not supported by meshsim's PromQL evaluator");
    const clause = node.getChild("MatchingModifierClause");
    return {
      kind: "binary",
      op,
      bool: node.getChild("BoolModifier") !== null,
      left: this.expr(left),
      right: this.expr(right),
      matching: clause === null ? null : this.matching(clause),
      opSpan: this.span(opNode),
      span: this.span(node),
    };
  }

  private matching(clause: SyntaxNode): VectorMatching {
    const groupings = clause.getChildren("GroupingLabels");
    const left = clause.getChild("GroupLeft");
    const right = clause.getChild("GroupRight");
    return {
      card: left !== null ? "many-to-one" : right !== null ? "one-to-many" : "one-to-one",
      on: clause.getChild("On") !== null,
      labels: this.labels(groupings[0] ?? null),
      include: groupings.length > 1 ? this.labels(groupings[1]) : [],
      span: this.span(clause),
    };
  }

  private labels(node: SyntaxNode | null): string[] {
    if (node === null) return [];
    return this.children(node).map((l) =>
      l.name === "LabelName" ? this.slice(l) : this.string(this.only(l)),
    );
  }

  private number(node: SyntaxNode): number {
    const raw = this.slice(node);
    const lower = raw.toLowerCase();
    if (lower === "inf" || lower === "+inf") return Infinity;
    if (lower === "-inf") return -Infinity;
    if (lower === "nan") return NaN;
    const value = Number(raw);
    if (!Number.isNaN(value)) return value;
    return this.durationText(raw, node) / 1000;
  }

  private duration(node: SyntaxNode): number {
    const literal = node.getChild("NumberDurationLiteralInDurationContext");
    if (literal === null || node.firstChild?.nextSibling)
      this.unsupported(node, "duration arithmetic is not supported by meshsim's PromQL evaluator");
    const raw = this.slice(literal);
    if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
    return this.durationText(raw, literal);
  }

  private signedDuration(node: SyntaxNode): number {
    const minus = node.getChild("UnaryOp");
    if (minus !== null) {
      const inner = node.getChild("OffsetDurationExpr")!;
      return (this.slice(minus) === "-" ? -1 : 1) * this.signedDuration(inner);
    }
    return this.duration(node);
  }

  private durationText(raw: string, node: SyntaxNode): number {
    const ms = durationMs(raw);
    if (ms === null)
      throw new PromqlError(`invalid duration ${JSON.stringify(raw)}`, node.from, this.text);
    return ms;
  }

  private string(node: SyntaxNode): string {
    return unquote(this.slice(node), node.from, this.text);
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) out.push(c);
    return out;
  }

  private only(node: SyntaxNode): SyntaxNode {
    return node.firstChild!;
  }

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private span(node: SyntaxNode): Span {
    return { start: node.from, end: node.to };
  }

  private unsupported(node: SyntaxNode, message: string): never {
    throw new PromqlError(message, node.from, this.text);
  }
}
