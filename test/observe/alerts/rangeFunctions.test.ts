// increase(), rate(), the *_over_time functions and histogram_quantile against values worked out by
// hand from Prometheus' definitions (promql/functions.go extrapolatedRate, promql/quantile.go
// BucketQuantile). Mirrors src/observe/alerts/promql/rangeFunctions.ts and histogramQuantile.ts.
import { describe, expect, test } from "vitest";
import { bucketQuantile } from "../../../src/observe/alerts/promql/histogramQuantile.ts";
import {
  averageOf,
  extrapolated,
  extremeOf,
} from "../../../src/observe/alerts/promql/rangeFunctions.ts";

/** increase() and rate() of a counter from its first and last samples in the window. */
const extrapolatedIncrease = (
  fT: number,
  fV: number,
  lT: number,
  lV: number,
  n: number,
  from: number,
  to: number,
) => extrapolated(fT, fV, lT, lV - fV, n, from, to, true, false);
const extrapolatedRate = (
  fT: number,
  fV: number,
  lT: number,
  lV: number,
  n: number,
  from: number,
  to: number,
) => extrapolated(fT, fV, lT, lV - fV, n, from, to, true, true);
const maximumOf = (values: number[]) => extremeOf(values, true);

const S = 1000;

describe("increase and rate (Prometheus extrapolation, left-open range)", () => {
  test("a steady counter: 4 samples spanning 45 s in a 1m window extrapolate by 60/45 to the exact increase", () => {
    // 10/s, scraped every 15 s; at t = 120 s the window (60 s, 120 s] holds 75..120 s: 750 → 1200.
    // Sampled 45 s, 15 s to the window's start (< 1.1 × 15 s, so all the way), zero point far back.
    expect(extrapolatedIncrease(75 * S, 750, 120 * S, 1200, 4, 60 * S, 120 * S)).toBe(600);
    // rate scales by (60/45)/60 as Prometheus does, which rounds to 9.999999999999998.
    expect(extrapolatedRate(75 * S, 750, 120 * S, 1200, 4, 60 * S, 120 * S)).toBeCloseTo(10, 12);
  });

  test("the sample exactly at the window's start is outside it: [30s] at a 15 s scrape reads 2 samples, not 3", () => {
    // At 60 s the window (30 s, 60 s] holds 45 s and 60 s: 450 → 600, doubled to 300 over 30 s.
    expect(extrapolatedIncrease(45 * S, 450, 60 * S, 600, 2, 30 * S, 60 * S)).toBe(300);
  });

  test("extrapolation stops at the counter's zero point: a counter from 0 is not extrapolated back", () => {
    // 0 → 300 over 15 s in a 30 s window: the zero point is the first sample, so no extrapolation
    // to the start: 300 (rate 10/s), where 3000 → 3300 gives 600 (rate 20/s).
    expect(extrapolatedIncrease(45 * S, 0, 60 * S, 300, 2, 30 * S, 60 * S)).toBe(300);
    expect(extrapolatedRate(45 * S, 0, 60 * S, 300, 2, 30 * S, 60 * S)).toBe(10);
    expect(extrapolatedIncrease(45 * S, 3000, 60 * S, 3300, 2, 30 * S, 60 * S)).toBe(600);
    // 100 → 400: the zero point is 5 s before the first sample, closer than the window's start.
    expect(extrapolatedIncrease(45 * S, 100, 60 * S, 400, 2, 30 * S, 60 * S)).toBe(400);
  });

  test("a window longer than the data extrapolates by half an interval only", () => {
    // At 30 s, [1m] = (−30 s, 30 s] holds 15 s and 30 s: 150 → 300. The start is 45 s away (≥ 16.5 s),
    // so extrapolate 7.5 s (the zero point is 15 s back): 150 × 22.5/15 = 225; rate 225/60 = 3.75.
    expect(extrapolatedIncrease(15 * S, 150, 30 * S, 300, 2, -30 * S, 30 * S)).toBe(225);
    expect(extrapolatedRate(15 * S, 150, 30 * S, 300, 2, -30 * S, 30 * S)).toBe(3.75);
  });

  test("a gap before the window's end extrapolates by half an interval there too", () => {
    // Samples at 15..45 s (3, every 15 s), window (0, 75 s]: 30 s to the end ≥ 16.5 s → 7.5 s;
    // start 15 s away, extrapolated fully (zero point 15 s back): 200 × (30 + 15 + 7.5)/30 = 350.
    expect(extrapolatedIncrease(15 * S, 100, 45 * S, 300, 3, 0, 75 * S)).toBe(350);
  });

  test("fewer than two samples give no value; a flat counter gives 0", () => {
    expect(extrapolatedIncrease(60 * S, 5, 60 * S, 5, 1, 30 * S, 60 * S)).toBeNull();
    expect(extrapolatedRate(45 * S, 7, 60 * S, 7, 2, 30 * S, 60 * S)).toBe(0);
  });
});

describe("avg_over_time and max_over_time", () => {
  test("over the samples in the window", () => {
    expect(averageOf([1, 2, 6])).toBe(3);
    expect(maximumOf([1, 7, 6])).toBe(7);
    expect(averageOf([])).toBeNull();
    expect(maximumOf([])).toBeNull();
  });

  test("NaN (a quantile of an empty window) spoils an average but not a maximum, as in Prometheus", () => {
    expect(averageOf([1, NaN])).toBeNaN();
    expect(maximumOf([NaN, 2, NaN])).toBe(2);
    expect(maximumOf([NaN, NaN])).toBeNaN();
  });
});

describe("histogram_quantile over classic buckets", () => {
  const inf = Infinity;
  const buckets = [
    { upperBound: 0.25, count: 90 },
    { upperBound: 0.1, count: 50 },
    { upperBound: inf, count: 100 },
    { upperBound: 0.5, count: 100 },
  ];

  test("interpolates linearly inside the bucket where the rank falls (buckets in any order)", () => {
    expect(bucketQuantile(0.5, buckets)).toBe(0.1); // rank 50 = the whole first bucket: 0 + 0.1 × 50/50
    expect(bucketQuantile(0.25, buckets)).toBe(0.05); // rank 25 in (0, 0.1]: 0.1 × 25/50
    expect(bucketQuantile(0.9, buckets)).toBe(0.25); // rank 90: 0.1 + 0.15 × 40/40
    expect(bucketQuantile(0.95, buckets)).toBe(0.375); // rank 95: 0.25 + 0.25 × 5/10
  });

  test("a rank in the +Inf bucket gives the largest finite bound", () => {
    expect(
      bucketQuantile(0.99, [
        { upperBound: 0.1, count: 50 },
        { upperBound: 0.5, count: 98 },
        { upperBound: inf, count: 100 },
      ]),
    ).toBe(0.5);
  });

  test("counts that decrease are forced monotonic", () => {
    // 0.25's count 50 < 60 becomes 60: rank 50 falls in the first bucket, 0.1 × 50/60.
    expect(
      bucketQuantile(0.5, [
        { upperBound: 0.1, count: 60 },
        { upperBound: 0.25, count: 50 },
        { upperBound: inf, count: 100 },
      ]),
    ).toBeCloseTo(0.1 * (50 / 60), 15);
  });

  test("no observations, no +Inf bucket, or φ outside [0, 1]", () => {
    expect(
      bucketQuantile(0.5, [
        { upperBound: 0.1, count: 0 },
        { upperBound: inf, count: 0 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { upperBound: 0.1, count: 3 },
        { upperBound: 0.2, count: 4 },
      ]),
    ).toBeNaN();
    expect(bucketQuantile(-0.1, buckets)).toBe(-Infinity);
    expect(bucketQuantile(1.1, buckets)).toBe(Infinity);
  });
});
