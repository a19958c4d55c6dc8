// The subquery points limit: the count is ceil(range / step) per subquery, an upper bound of the
// points the evaluator computes (reached when the evaluation time is a multiple of the step),
// nested subqueries multiply and siblings add, and a rule above 11,000 points is refused naming
// the rule, the count, the limit and the subquery's column. Mirrors
// src/observe/alerts/promql/subqueryPoints.ts.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { SampleHistory } from "../../../src/observe/alerts/history.ts";
import { PromqlError } from "../../../src/observe/alerts/promql/errors.ts";
import { Evaluator } from "../../../src/observe/alerts/promql/evaluate.ts";
import { parseExpr } from "../../../src/observe/alerts/promql/parser.ts";
import {
  MAX_SUBQUERY_POINTS,
  subqueryPoints,
} from "../../../src/observe/alerts/promql/subqueryPoints.ts";
import { rule, SCRAPE_MS } from "./scripted.ts";

const points = (expr: string) => subqueryPoints(parseExpr(expr), SCRAPE_MS);

function refusal(expr: string): PromqlError {
  try {
    rule("HugeWindow", expr);
  } catch (error) {
    expect(error).toBeInstanceOf(PromqlError);
    return error as PromqlError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be refused`);
}

describe("the points a rule's subqueries evaluate at one evaluation", () => {
  test("are range / step for one subquery, the scrape interval when the step is left out", () => {
    expect(points("max_over_time(meshsim_instance_queue_length[1h:1m])")).toBe(60);
    expect(points("max_over_time(meshsim_instance_queue_length[10m:])")).toBe(40); // 600 s / 15 s
    expect(points("max_over_time(meshsim_instance_queue_length[100s:30s])")).toBe(4); // ceil(3.33)
    expect(points("sum(rate(meshsim_requests_total[5m])) > 1")).toBe(0);
  });

  test("multiply when nested and add when side by side", () => {
    // The outer subquery's 12 points each evaluate the inner one's 10 points: 12 + 12 × 10.
    expect(
      points("max_over_time(avg_over_time(meshsim_instance_queue_length[10m:1m])[1h:5m])"),
    ).toBe(132);
    expect(
      points(
        "max_over_time(meshsim_instance_queue_length[1h:1m]) > 2 * avg_over_time(meshsim_instance_queue_length[30m:1m])",
      ),
    ).toBe(90);
  });

  test("bound the points the evaluator computes, and equal them at a multiple of the step", () => {
    const evaluator = new Evaluator(new SampleHistory(0), SCRAPE_MS);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (stepMs, stepsInRange, tMs) => {
          // A range of up to 500 steps, not always a whole number of them.
          const rangeMs = Math.max(1, stepsInRange * stepMs - (tMs % stepMs));
          const expr = parseExpr(`count_over_time(vector(1)[${rangeMs}ms:${stepMs}ms])`);
          const bound = subqueryPoints(expr, SCRAPE_MS);
          const count = (t: number) => evaluator.vectorAt(expr, t)[0]?.value ?? 0;
          expect(bound).toBe(Math.ceil(rangeMs / stepMs));
          expect(count(tMs)).toBeLessThanOrEqual(bound);
          expect(count(tMs - (tMs % stepMs))).toBe(bound);
        },
      ),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe("the limit", () => {
  test("is Prometheus' 11,000 points per series; a rule at it loads", () => {
    expect(MAX_SUBQUERY_POINTS).toBe(11_000);
    expect(() =>
      rule("AtLimit", "max_over_time(meshsim_instance_queue_length[11000m:1m]) > 10"),
    ).not.toThrow();
  });

  test("refuses one point more, naming the rule, the count, the limit and the step that fits", () => {
    const error = refusal("max_over_time(meshsim_instance_queue_length[11001m:1m]) > 10");
    expect(error.message).toBe(
      `rule "HugeWindow" evaluates 11,001 subquery points at every evaluation; meshsim's limit is 11,000 per rule evaluation (Prometheus' 11,000 points per series: each point re-evaluates the inner expression, at every scrape), so use a step of at least 1m1s or a shorter range for the subquery at column 45 of "max_over_time(meshsim_instance_queue_length[11001m:1m]) > 10"`,
    );
    expect(error.column).toBe(45);
  });

  test("refuses [30d:1ms] (2.6 billion points) at load time", () => {
    const error = refusal("max_over_time(meshsim_instance_queue_length[30d:1ms]) > 10");
    expect(error.message).toMatch(
      /^rule "HugeWindow" evaluates 2,592,000,000 subquery points .* a step of at least 3m56s /,
    );
  });

  test("counts nested subqueries together, pointing at the one with the most points", () => {
    // 200 outer points × (1 + 60 inner points) = 12,200.
    const expr = "max_over_time(avg_over_time(meshsim_instance_queue_length[1h:1m])[200m:1m]) > 10";
    const error = refusal(expr);
    expect(error.message).toMatch(
      /evaluates 12,200 subquery points .* so use coarser steps or shorter ranges for the subquery at column/,
    );
    expect(error.column).toBe(expr.indexOf("200m") + 1);
  });
});
