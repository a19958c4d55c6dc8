import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { BucketHistogram, bucketByScan } from "../../../src/observe/metrics/bucketHistogram.ts";

/** The cumulative counts a plain scan per value gives, as Prometheus defines the buckets. */
function cumulativeByScan(bounds: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const ms of values) counts[bucketByScan(bounds, ms)]++;
  let running = 0;
  return counts.map((c) => (running += c));
}

describe("the Prometheus bucket histogram", () => {
  it("puts a value equal to a bound in that bound's bucket, and larger ones in +Inf", () => {
    const histogram = new BucketHistogram([5, 10]);
    for (const ms of [0, 5, 5.000001, 10, 11, Number.POSITIVE_INFINITY]) histogram.record(ms);
    expect(histogram.cumulative()).toEqual([2, 4, 6]);
    expect(histogram.leLabels).toEqual(["0.005", "0.01"]);
  });

  // Bounds from 1 to 40 of them (the search's padding grows past 15 and 31), values drawn around
  // the bounds (equal to one, just either side) and anywhere, more than a batch of them.
  const boundsArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 40 })
    .map((xs) => xs.sort((a, b) => a - b).map((x) => x / 8));
  propTest.prop([
    boundsArb,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: -2, max: 2 })), { maxLength: 1500 }),
    fc.array(fc.double({ min: 0, max: 20_000, noNaN: true }), { maxLength: 300 }),
  ])(
    "bins every value where a scan of the bounds would, batch after batch",
    (bounds, near, anywhere) => {
      const values = [
        ...near.map(([i, off]) => bounds[i % bounds.length] + off / 64),
        ...anywhere,
        Number.POSITIVE_INFINITY,
        Number.NaN,
      ];
      const histogram = new BucketHistogram(bounds);
      for (const ms of values) histogram.record(ms);
      expect(histogram.count).toBe(values.length);
      expect(histogram.cumulative()).toEqual(cumulativeByScan(bounds, values));
    },
  );
});
