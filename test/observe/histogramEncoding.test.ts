import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/observe/histogram.ts";

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h;
}

const latencies = fc.array(
  fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constantFrom(0, 1e-9, 2e9)),
  { maxLength: 2000 },
);
const quantiles = [0.001, 0.25, 0.5, 0.9, 0.99, 0.999];

describe("the histogram's encoding", () => {
  test.prop([latencies])("gives back a histogram with the same statistics", (values) => {
    const h = histogramOf(values);
    const back = LatencyHistogram.fromEncoded(JSON.parse(JSON.stringify(h.toEncoded())));
    expect(back.count).toBe(h.count);
    expect(back.sum).toBe(h.sum);
    expect(back.min).toBe(h.min);
    expect(back.max).toBe(h.max);
    for (const q of quantiles) expect(back.quantile(q)).toBe(h.quantile(q));
  });

  test.prop([latencies, latencies])(
    "merges decoded histograms exactly as it merges the originals",
    (a, b) => {
      const direct = histogramOf(a);
      direct.merge(histogramOf(b));
      const pooled = LatencyHistogram.fromEncoded(histogramOf(a).toEncoded());
      pooled.merge(LatencyHistogram.fromEncoded(histogramOf(b).toEncoded()));
      expect(pooled.summary()).toEqual(direct.summary());
      expect(pooled.count).toBe(direct.count);
    },
  );

  it("is a few KB for a run's worth of spread-out latencies", () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 200_000; i++) h.record(0.5 * 1.00005 ** i); // 0.5 ms .. 11 s
    const encoded = h.toEncoded();
    expect(JSON.stringify(encoded).length).toBeLessThan(8_000);
    expect(LatencyHistogram.fromEncoded(encoded).quantile(0.99)).toBe(h.quantile(0.99));
  });

  it("keeps counts above 2^32 exact and rejects a damaged encoding", () => {
    const h = histogramOf([5, 5, 7]);
    const encoded = h.toEncoded();
    const big = LatencyHistogram.fromEncoded(encoded);
    const many = LatencyHistogram.fromEncoded(encoded);
    for (let i = 0; i < 33; i++) many.merge(many); // 3 · 2^33 records
    expect(LatencyHistogram.fromEncoded(many.toEncoded()).count).toBe(3 * 2 ** 33);
    expect(big.quantile(0.5)).toBe(h.quantile(0.5));
    expect(() => LatencyHistogram.fromEncoded({ ...encoded, count: 4 })).toThrow(/add up to 3/);
    expect(() => LatencyHistogram.fromEncoded({ ...encoded, counts: "gA==" })).toThrow(/truncated/);
    expect(LatencyHistogram.fromEncoded(new LatencyHistogram().toEncoded()).count).toBe(0);
  });
});
