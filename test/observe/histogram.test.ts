import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rng } from "../../src/kernel/random.ts";
import { RandomStreams } from "../../src/kernel/random.ts";
import {
  HISTOGRAM_HIGHEST_MS,
  HISTOGRAM_LOWEST_MS,
  LatencyHistogram,
} from "../../src/observe/histogram.ts";
import { roundSig } from "../../src/result/round.ts";

const SEED = 20240611;
const N = 50_000;
const PROMISED_RELATIVE_ERROR = 0.01;

/** 0, 0.001, ..., 1 plus the tail quantiles reports use. */
const Q_GRID: number[] = [
  ...Array.from({ length: 1001 }, (_, i) => i / 1000),
  0.9995,
  0.9999,
  0.99999,
];

/** Same rank definition as the histogram: the max(1, ceil(q * n))-th smallest. */
function exactQuantile(sorted: Float64Array, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

function histogramOf(values: ArrayLike<number>): LatencyHistogram {
  const h = new LatencyHistogram();
  for (let i = 0; i < values.length; i++) h.record(values[i]);
  return h;
}

function draw(label: string, n: number, sample: (rng: Rng) => number): Float64Array {
  const rng = new RandomStreams(SEED).get(label);
  return Float64Array.from({ length: n }, () => sample(rng));
}

function standardNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function relativeError(estimate: number, exact: number): number {
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

/** Fails with the seed, the distribution and the worst quantile in the message. */
function expectQuantilesWithinOnePercent(name: string, values: Float64Array): void {
  const h = histogramOf(values);
  const sorted = Float64Array.from(values).sort();
  let worst = { q: 0, error: 0, estimate: 0, exact: 0 };
  for (const q of Q_GRID) {
    const exact = exactQuantile(sorted, q);
    const estimate = h.quantile(q);
    const error = relativeError(estimate, exact);
    if (error > worst.error) worst = { q, error, estimate, exact };
  }
  expect(worst.error, `seed ${SEED}, ${name}: worst ${JSON.stringify(worst)}`).toBeLessThanOrEqual(
    PROMISED_RELATIVE_ERROR,
  );
}

const distributions: Record<string, (rng: Rng) => number> = {
  "uniform on [0, 100) ms": (rng) => 100 * rng.next(),
  "exponential with mean 20 ms": (rng) => -20 * Math.log(1 - rng.next()),
  "lognormal heavy tail (mu 1, sigma 2)": (rng) => Math.exp(1 + 2 * standardNormal(rng)),
  "constant 42 ms": () => 42,
  "log-uniform from 1e-3 to 1e6 ms": (rng) => 10 ** (-3 + 9 * rng.next()),
};

describe("LatencyHistogram quantiles", () => {
  for (const [name, sample] of Object.entries(distributions)) {
    it(`are within 1% of the exact sorted-array quantile at every q for ${name}`, () => {
      expectQuantilesWithinOnePercent(name, draw(`histogram/${name}`, N, sample));
    });
  }

  it("are within the 0.4% bucket bound, not just the 1% promise, for the exponential", () => {
    const values = draw("histogram/exp-tight", N, distributions["exponential with mean 20 ms"]);
    const h = histogramOf(values);
    const sorted = Float64Array.from(values).sort();
    for (const q of Q_GRID) {
      const bound = Math.sqrt(1 + 1 / 128) - 1 + 1e-12;
      expect(relativeError(h.quantile(q), exactQuantile(sorted, q)), `q=${q}`).toBeLessThanOrEqual(
        bound,
      );
    }
  });

  it("return the exact min at q = 0 and the exact max at q = 1", () => {
    const h = histogramOf([3.3, 1.7, 99.123, 5]);
    expect(h.quantile(0)).toBe(1.7);
    expect(h.quantile(1)).toBe(99.123);
  });

  it("report values below the lowest tracked magnitude as their exact min", () => {
    const h = histogramOf([1e-9, 2e-9, 5]);
    expect(h.quantile(0.5)).toBe(1e-9);
    expect(h.min).toBe(1e-9);
  });

  it("keep max exact above the top of the range but report overflowed quantiles in the last bucket", () => {
    const h = histogramOf([1, 5e12, 7e12]);
    expect(h.max).toBe(7e12);
    expect(h.quantile(1)).toBe(7e12);
    expect(h.quantile(0.9)).toBeGreaterThan(HISTOGRAM_HIGHEST_MS * (1 - 1 / 128));
    expect(h.quantile(0.9)).toBeLessThan(HISTOGRAM_HIGHEST_MS);
  });

  it("reject q outside [0, 1]", () => {
    const h = histogramOf([1]);
    expect(() => h.quantile(-0.1)).toThrow(RangeError);
    expect(() => h.quantile(1.1)).toThrow(RangeError);
    expect(() => h.quantile(Number.NaN)).toThrow(RangeError);
  });
});

describe("LatencyHistogram exact statistics", () => {
  it("keep count, sum (in recording order), mean, min and max exact", () => {
    const values = draw(
      "histogram/exact-stats",
      N,
      distributions["lognormal heavy tail (mu 1, sigma 2)"],
    );
    const h = histogramOf(values);
    let sum = 0;
    for (const v of values) sum += v;
    expect(h.count).toBe(N);
    expect(h.sum).toBe(sum);
    expect(h.mean).toBe(sum / N);
    expect(h.min).toBe(values.reduce((a, b) => Math.min(a, b)));
    expect(h.max).toBe(values.reduce((a, b) => Math.max(a, b)));
  });

  it("treat zero and negative zero as zero", () => {
    const h = histogramOf([-0, 0, 2]);
    expect(Object.is(h.min, 0)).toBe(true);
    expect(Object.is(h.quantile(0.5), 0)).toBe(true);
    expect(h.max).toBe(2);
  });

  it("reject negative, NaN and infinite values without changing state", () => {
    const h = histogramOf([4]);
    for (const bad of [-1, -Number.MIN_VALUE, Number.NaN, Infinity, -Infinity]) {
      expect(() => h.record(bad), String(bad)).toThrow(RangeError);
      expect(() => h.record(bad), String(bad)).toThrow(`got ${bad}`);
    }
    expect(h.count).toBe(1);
    expect(h.sum).toBe(4);
  });

  it("report 0 for every statistic when empty", () => {
    const h = new LatencyHistogram();
    expect([h.count, h.sum, h.mean, h.min, h.max]).toEqual([0, 0, 0, 0, 0]);
    for (const q of [0, 0.5, 0.999, 1]) expect(h.quantile(q)).toBe(0);
    expect(h.summary()).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });

  it("return to empty on reset", () => {
    const h = histogramOf([1, 2, 3]);
    h.reset();
    expect([h.count, h.sum, h.mean, h.min, h.max, h.quantile(0.5)]).toEqual([0, 0, 0, 0, 0, 0]);
    h.record(7);
    expect([h.min, h.max, h.quantile(0.5)]).toEqual([7, 7, 7]);
  });
});

describe("LatencyHistogram merge", () => {
  it("equals recording everything into one histogram", () => {
    const values = draw("histogram/merge", N, distributions["log-uniform from 1e-3 to 1e6 ms"]);
    const whole = histogramOf(values);
    const left = histogramOf(values.subarray(0, 12_345));
    const right = histogramOf(values.subarray(12_345));
    const leftSum = left.sum;
    left.merge(right);
    expect(left.count).toBe(whole.count);
    expect(left.sum).toBe(leftSum + right.sum);
    expect(Math.abs(left.sum - whole.sum) / whole.sum).toBeLessThan(1e-12);
    expect([left.min, left.max]).toEqual([whole.min, whole.max]);
    for (const q of Q_GRID) expect(left.quantile(q), `q=${q}`).toBe(whole.quantile(q));
    expect(left.summary()).toEqual(whole.summary());
  });

  it("with an empty histogram changes nothing, and into an empty one copies", () => {
    const full = histogramOf([2, 8, 9]);
    const median = full.quantile(0.5);
    full.merge(new LatencyHistogram());
    expect([full.count, full.sum, full.min, full.max, full.quantile(0.5)]).toEqual([
      3,
      19,
      2,
      9,
      median,
    ]);
    const empty = new LatencyHistogram();
    empty.merge(full);
    expect([empty.count, empty.sum, empty.min, empty.max]).toEqual([3, 19, 2, 9]);
    expect(empty.quantile(0.5)).toBe(full.quantile(0.5));
  });
});

describe("LatencyHistogram summary", () => {
  it("rounds mean, p50, p90, p99, p999 and max to 6 significant digits in that key order", () => {
    const values = draw("histogram/summary", N, distributions["exponential with mean 20 ms"]);
    const h = histogramOf(values);
    const s = h.summary();
    expect(Object.keys(s)).toEqual(["mean", "p50", "p90", "p99", "p999", "max"]);
    expect(s.mean).toBe(roundSig(h.mean));
    expect(s.p999).toBe(roundSig(h.quantile(0.999)));
    expect(s.max).toBe(roundSig(h.max));
  });
});

describe("LatencyHistogram property", () => {
  it("any non-negative doubles up to 1e9 give every quantile within 1% (or below the underflow threshold)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, extraQ) => {
          const h = histogramOf(values);
          const sorted = Float64Array.from(values).sort();
          for (const q of [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1, extraQ]) {
            const exact = exactQuantile(sorted, q);
            const estimate = h.quantile(q);
            if (exact === 0) {
              expect(estimate).toBe(0);
            } else if (exact < HISTOGRAM_LOWEST_MS) {
              expect(estimate).toBeGreaterThanOrEqual(0);
              expect(estimate).toBeLessThanOrEqual(HISTOGRAM_LOWEST_MS);
            } else {
              expect(relativeError(estimate, exact), `q=${q}`).toBeLessThanOrEqual(
                PROMISED_RELATIVE_ERROR,
              );
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("LatencyHistogram batching (records are binned when read or when the batch is full)", () => {
  /** Every statistic a reader can see, in one comparable object. */
  function view(h: LatencyHistogram) {
    return {
      count: h.count,
      sum: h.sum,
      mean: h.mean,
      min: h.min,
      max: h.max,
      summary: h.summary(),
    };
  }

  it("reads the same at every point as a histogram read after each record, across batch boundaries, merges and resets", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            {
              weight: 20,
              arbitrary: fc
                .double({ min: 0, max: 1e6, noNaN: true })
                .map((v) => ({ kind: "record" as const, v })),
            },
            { weight: 1, arbitrary: fc.constant({ kind: "read" as const }) },
            { weight: 1, arbitrary: fc.constant({ kind: "merge" as const }) },
            { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
          ),
          { maxLength: 2500 },
        ),
        (ops) => {
          const batched = new LatencyHistogram();
          const eager = new LatencyHistogram();
          const batchedInto = new LatencyHistogram();
          const eagerInto = new LatencyHistogram();
          for (const op of ops) {
            if (op.kind === "record") {
              batched.record(op.v);
              eager.record(op.v);
              void eager.sum; // forces the record into its bin now
            } else if (op.kind === "read") {
              expect(view(batched)).toEqual(view(eager));
            } else if (op.kind === "merge") {
              batchedInto.merge(batched);
              eagerInto.merge(eager);
            } else {
              batched.reset();
              eager.reset();
            }
          }
          expect(view(batched)).toEqual(view(eager));
          expect(view(batchedInto)).toEqual(view(eagerInto));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("counts records still in the batch", () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) h.record(i);
    expect(h.count).toBe(1000);
    h.reset();
    h.record(3);
    expect(h.count).toBe(1);
    expect(h.max).toBe(3);
  });
});
