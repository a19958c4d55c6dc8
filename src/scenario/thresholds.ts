// k6 thresholds: expressions such as `p(99)<300ms` on latency or `rate<0.01` on errors, optionally
// for one load (`latency{load:checkout}`). The schema checks only the section's shape; this parses
// each expression (k6's aggregates and operators) and checks the load tags against the load names.
// Leaves out k6's abortOnFail and delayAbortEval (a run always runs to its end).
import { parseDuration } from "../kernel/duration.ts";
import type { Finding } from "./path.ts";
import { entriesOf, fieldOf, itemsOf, list } from "./references/raw.ts";
import { errorMessage, quote } from "./schema/leaves.ts";
import { THRESHOLD_KEY_PATTERN } from "./schema/patterns.ts";
import type { ComparisonOperator, ThresholdMetric, ThresholdSpec } from "./types.ts";

/**
 * The threshold expressions, parsed (pass 1 checked only the shape), with their load tags checked
 * against the load names. Malformed keys and non-string items are pass 1's to report.
 */
export function parseThresholds(raw: unknown): { specs: ThresholdSpec[]; findings: Finding[] } {
  const specs: ThresholdSpec[] = [];
  const findings: Finding[] = [];
  const loadNames = new Set(itemsOf(fieldOf(raw, "load")).map((entry) => fieldOf(entry, "name")));
  for (const [key, expressions] of entriesOf(fieldOf(raw, "thresholds"))) {
    const match = THRESHOLD_KEY_PATTERN.exec(key);
    if (match === null) continue;
    const metric = match[1] as ThresholdMetric;
    const load = match[2] ?? null;
    if (load !== null && !loadNames.has(load)) {
      const names = [...loadNames].filter((name): name is string => typeof name === "string");
      const message = `there is no load \`${load}\`; loads are: ${list(names)}`;
      findings.push({ path: ["thresholds", key], at: "key", message });
    }
    itemsOf(expressions).forEach((expression, index) => {
      if (typeof expression !== "string") return;
      try {
        specs.push({ metric, load, expression, ...parseThresholdExpression(metric, expression) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        findings.push({ path: ["thresholds", key, index], at: "value", message });
      }
    });
  }
  return { specs, findings };
}

const OPERATORS: readonly ComparisonOperator[] = ["<=", ">=", "==", "!=", "<", ">"];
const EXPRESSION =
  /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\([^()]*\))?)\s*(<=|>=|==|!=|<|>)\s*(\S(?:.*\S)?)\s*$/;
const PERCENTILE = /^p\((\d+(?:\.\d+)?)\)$/;
const FRACTION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One k6 expression for `metric`, or an Error saying what was expected. */
export function parseThresholdExpression(
  metric: ThresholdMetric,
  expression: string,
): Pick<ThresholdSpec, "aggregate" | "operator" | "value"> {
  const example = metric === "latency" ? "p(99)<300ms or avg<=50ms" : "rate<0.01";
  const match = EXPRESSION.exec(expression);
  if (match === null)
    throw new Error(`expected an expression such as ${example}, found ${quote(expression)}`);
  const [, written, operatorText, valueText] = match;
  const operator = OPERATORS.find((op) => op === operatorText) as ComparisonOperator;
  if (metric === "errors") {
    if (written !== "rate")
      throw new Error(
        `errors thresholds aggregate with rate (e.g. ${example}), found ${quote(written)}`,
      );
    const value = FRACTION.test(valueText) ? Number(valueText) : NaN;
    if (!(value >= 0 && value <= 1)) {
      throw new Error(
        `expected a fraction from 0 to 1 after ${written}${operator}, found ${quote(valueText)}`,
      );
    }
    return { aggregate: "rate", operator, value };
  }
  const aggregate = latencyAggregate(written, example);
  try {
    return { aggregate, operator, value: parseDuration(valueText) };
  } catch (error) {
    throw new Error(`in ${quote(expression)}: ${errorMessage(error)}`);
  }
}

function latencyAggregate(written: string, example: string): string {
  if (written === "avg" || written === "min" || written === "max" || written === "med")
    return written;
  const percentile = PERCENTILE.exec(written);
  if (percentile === null) {
    throw new Error(
      `latency thresholds aggregate with avg, min, max, med or p(N) (e.g. ${example}), found ${quote(written)}`,
    );
  }
  const n = Number(percentile[1]);
  if (!(n > 0 && n <= 100)) throw new Error(`p(N) needs 0 < N ≤ 100, found ${quote(written)}`);
  return `p(${n})`;
}
