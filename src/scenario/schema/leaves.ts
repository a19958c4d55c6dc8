// The leaf builders every part of the scenario schema uses: messages of the form "expected <what>,
// found <what was there>", strict maps that list their allowed keys, durations and distributions
// parsed inside strings. The shapes themselves live in schema.ts and its section files.
import { z } from "zod";
import type { Distribution } from "../../kernel/distribution.ts";
import { parseDistribution } from "../../kernel/distributionText.ts";
import { parseDuration } from "../../kernel/duration.ts";
import { type Limit, tooLarge } from "../limits.ts";
import { OPERATION_REF_PATTERN } from "./patterns.ts";

export type RawIssue = z.core.$ZodRawIssue;

// ---------------------------------------------------------------------------------------------
// Messages: "expected <what>, found <what was there>", or "is required; expected <what>".

/** A short description of a value found in the file, e.g. `string "abc"` or `a list`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") return `string ${quote(value)}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (value instanceof Set) return "a set";
  if (typeof value === "object") return "a map";
  return typeof value;
}

/** JSON-quoted and cut to a readable length. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === "" ? "is not valid" : message;
}

/** An error map for a leaf: every issue it or its checks raise gets one message. */
export function expecting(what: string): (issue: RawIssue) => string {
  return (issue) =>
    issue.input === undefined
      ? `is required; expected ${what}`
      : `expected ${what}, found ${describeFound(issue.input)}`;
}

/**
 * The error map of a union told apart by `tag` (a fault's kind, a balancer's policy): a value that
 * is no such map is `expecting(entry)`; a map whose tag is missing or names no option is told which
 * tags there are (`tags`, e.g. "a fault kind, one of ...").
 */
export function taggedUnionError(
  tag: string,
  entry: string,
  tags: string,
): (issue: RawIssue) => string {
  return (issue) => {
    if (issue.code !== "invalid_union") return expecting(entry)(issue);
    const found = (issue.input as Record<string, unknown> | undefined)?.[tag];
    return found === undefined
      ? `is required; expected ${tags}`
      : `expected ${tags}, found ${describeFound(found)}`;
  };
}

// ---------------------------------------------------------------------------------------------
// Leaves.

export function integer(min: number, what: string) {
  return z
    .number({ error: expecting(what) })
    .int()
    .min(min);
}

/** An integer from `min` up to `limit.max`; a larger one is refused with the limit and its reason. */
export function boundedInteger(min: number, limit: Limit, what: string) {
  return integer(min, what).refine((n) => n <= limit.max, {
    error: (issue) => tooLarge(limit, issue.input as number),
  });
}

export function probability() {
  return z
    .number({ error: expecting("a probability from 0 to 1") })
    .min(0)
    .max(1);
}

export function name(pattern: RegExp, rule: string) {
  return z.string({ error: expecting(`a name of ${rule}`) }).regex(pattern);
}

const DURATION_WHAT = "a duration such as 250ms, 1.5s or 1m30s";

/** A default of `ms` as a file would write it (the JSON Schema and docs show it): 0s, 25ms or 60s. */
export function written(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A bare number other than 0 gets parseDuration's own message ("a bare number needs a unit"). */
function durationTypeError(issue: RawIssue): string {
  if (typeof issue.input === "number") {
    try {
      parseDuration(String(issue.input));
    } catch (error) {
      return errorMessage(error);
    }
  }
  return expecting(DURATION_WHAT)(issue);
}

/** A duration string (or 0) as milliseconds; `positive` rejects 0. */
export function duration(bound: "positive" | "nonnegative") {
  return z
    .union([z.string(), z.literal(0)], { error: durationTypeError })
    .describe(`A duration such as 250us, 5ms, 1.5s, 2m or 1m30s; a bare number only for 0.`)
    .transform((value, ctx): number => {
      try {
        const ms = parseDuration(String(value));
        if (bound === "positive" && ms === 0) {
          ctx.issues.push({ code: "custom", input: value, message: "must be longer than 0" });
          return z.NEVER;
        }
        return ms;
      } catch (error) {
        ctx.issues.push({ code: "custom", input: value, message: errorMessage(error) });
        return z.NEVER;
      }
    });
}

const DISTRIBUTION_WHAT =
  "a distribution such as exp(20ms), lognormal(20ms, 1.5) or a duration such as 5ms";

function distributionTypeError(issue: RawIssue): string {
  if (typeof issue.input === "number") {
    try {
      parseDistribution(String(issue.input));
    } catch (error) {
      return errorMessage(error);
    }
  }
  return expecting(DISTRIBUTION_WHAT)(issue);
}

/**
 * In a YAML flow collection (`{ serviceTime: uniform(1ms, 3ms) }`) a comma ends the plain
 * value, which leaves an unclosed parenthesis: say so, since the parser's message cannot.
 */
function flowCommaHint(text: string): string {
  const opened = text.split("(").length - text.split(")").length;
  return opened > 0
    ? `; inside { } or [ ] in YAML a comma ends a value, so quote it: "${text}, ...)"`
    : "";
}

/** A distribution string (or 0, a constant zero). */
export function distribution() {
  return z
    .union([z.string(), z.literal(0)], { error: distributionTypeError })
    .describe(
      "A distribution: const(5ms), exp(20ms), uniform(1ms, 3ms), erlang(4, 20ms), lognormal(20ms, 1.5), " +
        "pareto(20ms, 2.5), mix(0.99: exp(10ms), 0.01: const(1s)), or a duration (a constant).",
    )
    .transform((value, ctx): Distribution => {
      try {
        return parseDistribution(String(value));
      } catch (error) {
        ctx.issues.push({
          code: "custom",
          input: value,
          message: errorMessage(error) + flowCommaHint(String(value)),
        });
        return z.NEVER;
      }
    });
}

export const operationRef = z
  .string({ error: expecting("an operation written as service.operation, e.g. server.work") })
  .regex(OPERATION_REF_PATTERN);

// ---------------------------------------------------------------------------------------------
// Containers: unknown keys are errors that list the allowed ones.

/** A strict object; `owner` names it in messages ("`x` is not a field of a service"). */
export function fields<S extends z.core.$ZodLooseShape>(owner: string, shape: S) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `is not a field of ${owner}; expected one of: ${allowed}`
        : expecting(`${owner} (a map with ${allowed})`)(issue),
  });
}

/** A non-empty map from names matching `pattern` to `value`. */
export function namedMap<V extends z.core.SomeType>(
  what: string,
  pattern: RegExp,
  rule: string,
  value: V,
) {
  return z
    .record(z.string().regex(pattern), value, {
      error: (issue) =>
        issue.code === "invalid_key"
          ? `${what} names are ${rule}; found ${describeFound(issue.input)}`
          : expecting(`a map from ${what} names to ${what}s`)(issue),
    })
    .refine((map) => Object.keys(map).length > 0, { message: `needs at least one ${what}` });
}

export function nonEmptyList<T extends z.core.SomeType>(
  what: string,
  item: T,
  plural = `${what}s`,
) {
  return z
    .array(item, { error: expecting(`a list of ${plural}`) })
    .min(1, `needs at least one ${what}`);
}
