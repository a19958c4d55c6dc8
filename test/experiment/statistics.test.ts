import { describe, expect, it } from "vitest";
import {
  estimate,
  incompleteBeta,
  isPrecise,
  pairedDifference,
  replicationsNeeded,
  studentTCdf,
  studentTQuantile,
  t975,
  thresholdVerdict,
  verdictOf,
} from "../../src/experiment/statistics.ts";

describe("Student's t", () => {
  it("matches the textbook quantile table to 6 digits", () => {
    // From standard t tables (and scipy.stats.t.ppf): [p, df, t].
    const table: [number, number, number][] = [
      [0.975, 1, 12.706205],
      [0.975, 2, 4.302653],
      [0.975, 4, 2.776445],
      [0.975, 9, 2.262157],
      [0.975, 29, 2.04523],
      [0.975, 120, 1.97993],
      [0.995, 10, 3.169273],
      [0.95, 5, 2.015048],
      [0.9, 3, 1.637744],
    ];
    for (const [p, df, t] of table) {
      expect(studentTQuantile(p, df), `t(${p}, ${df})`).toBeCloseTo(t, 5);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 5);
    }
    expect(t975(4)).toBeCloseTo(2.776445, 6);
  });

  it("has a CDF that inverts its quantile and tends to the normal for large df", () => {
    for (const df of [1, 3, 7, 30]) {
      for (const p of [0.6, 0.9, 0.975, 0.999])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5);
  });

  it("rests on an incomplete beta function with the known closed forms", () => {
    for (const x of [0.1, 0.37, 0.8]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(incompleteBeta(x, 3, 1)).toBeCloseTo(x ** 3, 12);
      expect(incompleteBeta(x, 1, 2)).toBeCloseTo(1 - (1 - x) ** 2, 12);
    }
    expect(incompleteBeta(0.5, 4.5, 4.5)).toBeCloseTo(0.5, 12);
  });
});

describe("an estimate over replications", () => {
  it("gives the textbook interval for 1..5: 3 ± 2.776445·√2.5/√5", () => {
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(e.halfWidth).toBeCloseTo(1.963243, 5);
    expect(e.ci95![0]).toBeCloseTo(1.036757, 5);
    expect(e.ci95![1]).toBeCloseTo(4.963243, 5);
  });

  it("has no interval with one replication, and a zero-width one for identical values", () => {
    expect(estimate([4])).toEqual({ n: 1, mean: 4, sd: 0, halfWidth: null, ci95: null });
    expect(estimate([2, 2, 2]).ci95).toEqual([2, 2]);
    expect(() => estimate([])).toThrow(/at least one/);
  });

  it("pairs differences seed by seed, so a shared noise cancels", () => {
    const base = [10, 20, 30, 40];
    const variant = base.map((x) => x + 1.5);
    const d = pairedDifference(base, variant);
    expect(d.mean).toBe(1.5);
    expect(d.halfWidth).toBe(0);
    // The separate intervals overlap widely; the paired one is a point.
    expect(estimate(base).halfWidth!).toBeGreaterThan(10);
  });
});

describe("verdicts", () => {
  it("calls a difference better or worse only when its interval excludes zero", () => {
    expect(verdictOf(estimate([-3, -2, -4]), true)).toBe("better");
    expect(verdictOf(estimate([-3, -2, -4]), false)).toBe("worse");
    expect(verdictOf(estimate([3, 2, 4]), true)).toBe("worse");
    expect(verdictOf(estimate([-1, 2, 0]), true)).toBe("no significant difference");
    expect(verdictOf(estimate([5]), true)).toBeNull();
  });

  it("passes a threshold only when the whole interval passes", () => {
    const around100 = estimate([95, 100, 105]); // 100 ± 12.42
    expect(thresholdVerdict(around100, "<", 150)).toBe("pass");
    expect(thresholdVerdict(around100, "<", 50)).toBe("fail");
    expect(thresholdVerdict(around100, "<", 104)).toBe("undecided");
    expect(thresholdVerdict(around100, ">", 104)).toBe("undecided");
    expect(thresholdVerdict(around100, ">=", 80)).toBe("pass");
    expect(thresholdVerdict(estimate([120]), "<", 104)).toBe("fail");
    expect(thresholdVerdict(estimate([0, 0]), "==", 0)).toBe("pass");
    expect(thresholdVerdict(around100, "!=", 0)).toBe("pass");
    expect(thresholdVerdict(around100, "==", 100)).toBe("undecided");
  });

  it("judges precision relative to the mean, and estimates the seeds still needed", () => {
    const e = estimate([95, 100, 105]); // half-width 12.42, 12.4% of the mean
    expect(isPrecise(e, 0.2)).toBe(true);
    expect(isPrecise(e, 0.05)).toBe(false);
    // n·(h/(r·x̄))² = 3·(12.42/5)² = 18.5 → 19
    expect(replicationsNeeded(e, 0.05)).toBe(19);
    expect(isPrecise(estimate([0, 0, 0]), 0.05)).toBe(true);
    expect(isPrecise(estimate([7]), 0.5)).toBe(false);
  });
});
