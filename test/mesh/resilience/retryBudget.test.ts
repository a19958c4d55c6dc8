// Envoy's retry budget and the static max_retries threshold, at their boundaries. Mirrors
// src/mesh/resilience/retryBudget.ts.
import { describe, expect, it } from "vitest";
import {
  createRetryLimit,
  MaxRetries,
  RetryBudget,
} from "../../../src/mesh/resilience/retryBudget.ts";
import {
  ENVOY_MAX_RETRIES,
  ENVOY_RETRY_BUDGET,
  ISTIO_MAX_RETRIES,
} from "../../../src/scenario/defaults.ts";

describe("Envoy's retry budget", () => {
  const budget = new RetryBudget(ENVOY_RETRY_BUDGET);

  it("defaults to 20% of active + pending requests and at least 3 concurrent retries", () => {
    expect(ENVOY_RETRY_BUDGET).toEqual({ budgetPercent: 20, minRetryConcurrency: 3 });
  });

  it("allows 3 concurrent retries with no load, and refuses the 4th", () => {
    expect(budget.maxActiveRetries(0, 0)).toBe(3);
    expect(budget.canRetry(0, 0, 2)).toBe(true);
    expect(budget.canRetry(0, 0, 3)).toBe(false);
  });

  it("keeps the minimum until 20% of the requests exceeds it: 19 requests give 3, 20 give 4", () => {
    expect([14, 15, 19, 20, 24, 25].map((n) => budget.maxActiveRetries(n, 0))).toEqual([
      3, 3, 3, 4, 4, 5,
    ]);
  });

  it("truncates the share: 20% of 24 requests allows 4 retries, so the 4th active one blocks the 5th", () => {
    expect(budget.canRetry(24, 0, 3)).toBe(true);
    expect(budget.canRetry(24, 0, 4)).toBe(false);
  });

  it("counts pending requests as well as active ones", () => {
    expect(budget.maxActiveRetries(10, 10)).toBe(4);
    expect(budget.canRetry(10, 10, 3)).toBe(true);
    expect(budget.canRetry(10, 10, 4)).toBe(false);
  });

  it("computes the share in doubles exactly as Envoy does, so 29% of 100 requests gives 28", () => {
    expect(
      new RetryBudget({ budgetPercent: 29, minRetryConcurrency: 0 }).maxActiveRetries(100, 0),
    ).toBe(28);
    expect(
      new RetryBudget({ budgetPercent: 30, minRetryConcurrency: 0 }).maxActiveRetries(100, 0),
    ).toBe(30);
  });

  it("at 0% allows only the minimum, and with a minimum of 0 and no load allows no retry at all", () => {
    expect(
      new RetryBudget({ budgetPercent: 0, minRetryConcurrency: 3 }).maxActiveRetries(1000, 1000),
    ).toBe(3);
    expect(new RetryBudget({ budgetPercent: 20, minRetryConcurrency: 0 }).canRetry(0, 0, 0)).toBe(
      false,
    );
  });

  it("at 100% allows as many retries as there are requests", () => {
    const all = new RetryBudget({ budgetPercent: 100, minRetryConcurrency: 0 });
    expect(all.canRetry(7, 3, 9)).toBe(true);
    expect(all.canRetry(7, 3, 10)).toBe(false);
  });

  it("rejects a percent outside [0, 100] and a fractional or negative minimum", () => {
    expect(() => new RetryBudget({ budgetPercent: -1, minRetryConcurrency: 3 })).toThrow(
      RangeError,
    );
    expect(() => new RetryBudget({ budgetPercent: 101, minRetryConcurrency: 3 })).toThrow(
      /budgetPercent must be a percent in \[0, 100\], got 101/,
    );
    expect(() => new RetryBudget({ budgetPercent: Number.NaN, minRetryConcurrency: 3 })).toThrow(
      RangeError,
    );
    expect(() => new RetryBudget({ budgetPercent: 20, minRetryConcurrency: 1.5 })).toThrow(
      /minRetryConcurrency must be an integer >= 0/,
    );
    expect(() => new RetryBudget({ budgetPercent: 20, minRetryConcurrency: -1 })).toThrow(
      RangeError,
    );
  });
});

describe("the static max_retries threshold", () => {
  it("allows 3 active retries per cluster by default, whatever the load", () => {
    const limit = new MaxRetries(ENVOY_MAX_RETRIES);
    expect(limit.canRetry(10_000, 500, 2)).toBe(true);
    expect(limit.canRetry(10_000, 500, 3)).toBe(false);
    expect(limit.maxActiveRetries()).toBe(3);
  });

  it("applies when no budget is set, and a budget overrides it when one is", () => {
    expect(createRetryLimit(null, ENVOY_MAX_RETRIES).canRetry(100, 0, 3)).toBe(false);
    const budgeted = createRetryLimit(ENVOY_RETRY_BUDGET, 1);
    expect(budgeted.maxActiveRetries(100, 0)).toBe(20);
    expect(budgeted.canRetry(100, 0, 19)).toBe(true);
  });

  it("is practically unlimited with Istio's 2^32 - 1", () => {
    expect(createRetryLimit(null, ISTIO_MAX_RETRIES).canRetry(0, 0, 1_000_000)).toBe(true);
  });

  it("rejects a negative or fractional maxRetries, even when a budget hides it", () => {
    expect(() => new MaxRetries(-1)).toThrow(/maxRetries must be an integer >= 0, got -1/);
    expect(() => createRetryLimit(ENVOY_RETRY_BUDGET, 2.5)).toThrow(RangeError);
  });
});
