// Distributions: exact moments against independent formulas, sample moments and the whole shape
// (Kolmogorov–Smirnov) against theory for fixed seeds, the text form and its error messages, and
// fast-check properties for the parser. Mirrors src/kernel/distributions.ts.

import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { Distribution } from "../../src/kernel/distribution.ts";
import {
  constant,
  erlang,
  exponential,
  lognormal,
  mixture,
  pareto,
  uniform,
} from "../../src/kernel/distributions.ts";
import { parseDistribution } from "../../src/kernel/distributionText.ts";
import type { Rng } from "../../src/kernel/random.ts";
import { RandomStreams } from "../../src/kernel/random.ts";

const SEEDS = [1, 2, 3];
const N = 200_000;

function stream(seed: number, name: string): Rng {
  return new RandomStreams(seed).get(`test/kernel/distributions/${name}`);
}

function draw(dist: Distribution, rng: Rng, n: number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = dist.sample(rng);
  return xs;
}

/** Sample mean and unbiased sample variance (two passes, so no cancellation). */
function sampleMoments(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return { mean, variance: squares / (xs.length - 1) };
}

function factorial(r: number): number {
  return r <= 1 ? 1 : r * factorial(r - 1);
}

/** The standard normal CDF via Abramowitz–Stegun 7.1.26 (error < 1.5e-7, far below the KS bound). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * One kind under test, with theory written independently of the implementation: raw moments
 * E[X^r] for r = 1..4 (Infinity where they do not exist) and, where it has one, the CDF.
 */
interface Case {
  text: string;
  raw(r: number): number;
  cdf?(x: number): number;
  /** Check the sample mean with this tolerance instead of 5 standard errors (see pareto 2.5). */
  meanTolerance?: number;
}

const expRaw = (m: number) => (r: number) => factorial(r) * m ** r;
const expCdf = (m: number) => (x: number) => 1 - Math.exp(-x / m);
const uniformRaw = (a: number, b: number) => (r: number) =>
  (b ** (r + 1) - a ** (r + 1)) / ((r + 1) * (b - a));
const uniformCdf = (a: number, b: number) => (x: number) =>
  Math.min(1, Math.max(0, (x - a) / (b - a)));
const erlangRaw = (k: number, mean: number) => (r: number) => {
  let rising = 1; // k(k+1)…(k+r−1)
  for (let i = 0; i < r; i++) rising *= k + i;
  return (mean / k) ** r * rising;
};
const erlangCdf = (k: number, mean: number) => (x: number) => {
  const y = x / (mean / k);
  let term = 1;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    sum += term;
    term *= y / (j + 1);
  }
  return 1 - Math.exp(-y) * sum;
};
const lognormalParams = (mean: number, cv: number) => {
  const s2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - s2 / 2, s2 };
};
const lognormalRaw = (mean: number, cv: number) => (r: number) => {
  const { mu, s2 } = lognormalParams(mean, cv);
  return Math.exp(r * mu + (r * r * s2) / 2);
};
const lognormalCdf = (mean: number, cv: number) => (x: number) => {
  const { mu, s2 } = lognormalParams(mean, cv);
  return normalCdf((Math.log(x) - mu) / Math.sqrt(s2));
};
const paretoScale = (mean: number, a: number) => (mean * (a - 1)) / a;
const paretoRaw = (mean: number, a: number) => (r: number) =>
  a > r ? (a * paretoScale(mean, a) ** r) / (a - r) : Infinity;
const paretoCdf = (mean: number, a: number) => (x: number) => {
  const xm = paretoScale(mean, a);
  return x < xm ? 0 : 1 - (xm / x) ** a;
};

/**
 * Pareto(20ms, 2.5) has a finite variance but an infinite third moment, so its sample mean
 * leaves the normal approximation through single huge draws. The chance that one draw of N moves
 * the mean by t is about N·(x_m/(N·t))^α; setting that to 1e-6 gives t = (x_m/N)·(N/1e-6)^(1/α),
 * about 2 ms here (10% of the mean): wide, but still far from a Lomax or mis-scaled sampler.
 */
const PARETO_25_TOLERANCE = (paretoScale(20, 2.5) / N) * (N / 1e-6) ** (1 / 2.5);

const CASES: Case[] = [
  { text: "exp(20ms)", raw: expRaw(20), cdf: expCdf(20) },
  { text: "uniform(1ms, 3ms)", raw: uniformRaw(1, 3), cdf: uniformCdf(1, 3) },
  { text: "erlang(4, 20ms)", raw: erlangRaw(4, 20), cdf: erlangCdf(4, 20) },
  { text: "lognormal(20ms, 0.5)", raw: lognormalRaw(20, 0.5), cdf: lognormalCdf(20, 0.5) },
  { text: "lognormal(20ms, 1.5)", raw: lognormalRaw(20, 1.5), cdf: lognormalCdf(20, 1.5) },
  // Shape 6 is the lightest pareto here: its fourth moment exists, so the variance check is honest.
  { text: "pareto(20ms, 6)", raw: paretoRaw(20, 6), cdf: paretoCdf(20, 6) },
  // Shape 3.5: the mean check is honest, the variance check is not (infinite fourth moment), so
  // the shape of the whole distribution is checked by KS instead.
  { text: "pareto(20ms, 3.5)", raw: paretoRaw(20, 3.5), cdf: paretoCdf(20, 3.5) },
  {
    text: "pareto(20ms, 2.5)",
    raw: paretoRaw(20, 2.5),
    cdf: paretoCdf(20, 2.5),
    meanTolerance: PARETO_25_TOLERANCE,
  },
  // Shape 1.5: infinite variance, and the sample mean converges too slowly to check; KS only.
  { text: "pareto(20ms, 1.5)", raw: paretoRaw(20, 1.5), cdf: paretoCdf(20, 1.5) },
  {
    text: "mix(0.99: exp(10ms), 0.01: const(1s))",
    raw: (r) => 0.99 * expRaw(10)(r) + 0.01 * 1000 ** r,
  },
  {
    text: "mix(0.7: exp(5ms), 0.3: uniform(20ms, 40ms))",
    raw: (r) => 0.7 * expRaw(5)(r) + 0.3 * uniformRaw(20, 40)(r),
    cdf: (x) => 0.7 * expCdf(5)(x) + 0.3 * uniformCdf(20, 40)(x),
  },
  {
    text: "mix(0.5: erlang(3, 10ms), 0.5: mix(0.5: lognormal(30ms, 0.5), 0.5: const(2ms)))",
    raw: (r) => 0.5 * erlangRaw(3, 10)(r) + 0.25 * lognormalRaw(30, 0.5)(r) + 0.25 * 2 ** r,
  },
];

/** Central moments from raw ones. */
function theory(c: Case): { mean: number; variance: number; fourth: number } {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map((r) => c.raw(r));
  const variance = m2 === Infinity ? Infinity : m2 - m1 * m1;
  const fourth = m4 === Infinity ? Infinity : m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
  return { mean: m1, variance, fourth };
}

/** Kolmogorov–Smirnov distance between the sample and a continuous CDF. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * DKW–Massart: P(D_n > d) <= 2·exp(−2·n·d²) for any distribution and any n, so this d is
 * exceeded with probability below 1e-6. For N = 200 000 it is about 0.006.
 */
const KS_BOUND = Math.sqrt(Math.log(2 / 1e-6) / (2 * N));

describe.each(CASES)("$text", (c) => {
  const dist = parseDistribution(c.text);
  const exact = theory(c);

  test("has the mean and variance of its closed form", () => {
    expect(dist.toString()).toBe(c.text);
    expect(dist.mean).toBeCloseTo(exact.mean, 10);
    if (exact.variance === Infinity) expect(dist.variance).toBe(Infinity);
    else
      expect(Math.abs(dist.variance - exact.variance)).toBeLessThanOrEqual(1e-9 * exact.variance);
    expect(dist.isConstant).toBe(false);
  });

  test.each(SEEDS)(`with seed %i, matches theory over ${N} draws`, (seed) => {
    const xs = draw(dist, stream(seed, c.text), N);
    const sample = sampleMoments(xs);
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);

    // Mean: by the CLT the sample mean is normal with sd sqrt(var/N); 5 sd is exceeded with
    // probability about 6e-7. Only checked where the variance exists.
    if (exact.variance !== Infinity) {
      const tolerance = c.meanTolerance ?? 5 * Math.sqrt(exact.variance / N);
      expect(Math.abs(sample.mean - exact.mean)).toBeLessThan(tolerance);
    }

    // Variance: the unbiased sample variance has Var = μ4/N − σ⁴(N−3)/(N(N−1)), which needs the
    // fourth central moment μ4; allow 5 of those standard errors. Skipped where μ4 is infinite.
    if (exact.fourth !== Infinity) {
      const s4 = exact.variance ** 2;
      const se = Math.sqrt(exact.fourth / N - (s4 * (N - 3)) / (N * (N - 1)));
      expect(Math.abs(sample.variance - exact.variance)).toBeLessThan(5 * se);
    }

    if (c.cdf !== undefined) expect(ksDistance(xs, c.cdf)).toBeLessThan(KS_BOUND);
  });
});

/** A stub stream that counts draws and replays fixed values. */
function scripted(values: number[]): Rng & { draws: number } {
  const rng = {
    draws: 0,
    next(): number {
      return values[rng.draws++ % values.length];
    },
    nextUint32(): number {
      return Math.floor(rng.next() * 2 ** 32);
    },
  };
  return rng;
}

describe("sampling", () => {
  test("const returns its value without drawing from the stream", () => {
    const rng = scripted([0.5]);
    const d = constant(7.5);
    expect(d.sample(rng)).toBe(7.5);
    expect(d.mean).toBe(7.5);
    expect(d.variance).toBe(0);
    expect(d.isConstant).toBe(true);
    expect(rng.draws).toBe(0);
  });

  test("only const is constant, even for a zero-width uniform or a mix of equal constants", () => {
    expect(uniform(2, 2).isConstant).toBe(false);
    expect(parseDistribution("mix(0.5: 1ms, 0.5: 1ms)").isConstant).toBe(false);
    expect(parseDistribution("5ms").isConstant).toBe(true);
  });

  test("stays finite at both ends of the uniform range", () => {
    const lowest = 0;
    const highest = 1 - 2 ** -32; // tychei's largest draw
    for (const text of CASES.map((c) => c.text).concat("erlang(1000, 1ms)")) {
      const d = parseDistribution(text);
      for (const u of [lowest, highest]) {
        const x = d.sample(scripted([u]));
        expect(Number.isFinite(x) && x >= 0, `${text} at u = ${u} gave ${x}`).toBe(true);
      }
    }
  });

  test("erlang with many phases does not underflow its product of uniforms", () => {
    // 1000 draws of 2^-32 multiply to 2^-32000, far below the smallest double.
    const x = erlang(1000, 1).sample(scripted([1 - 2 ** -32]));
    expect(x).toBeCloseTo(32 * Math.LN2, 9);
  });

  test.each(SEEDS)(
    "with seed %i, one object shared by two streams keeps them independent",
    (seed) => {
      for (const text of CASES.map((c) => c.text)) {
        const d = parseDistribution(text);
        const alone = draw(d, stream(seed, "alone"), 50);
        const a = stream(seed, "alone");
        const other = stream(seed, "other");
        const interleaved = new Float64Array(50);
        for (let i = 0; i < 50; i++) {
          interleaved[i] = d.sample(a);
          d.sample(other);
        }
        expect(interleaved, text).toEqual(alone);
      }
    },
  );
});

describe("constructors", () => {
  test.each([
    [() => constant(-1), /const value must be a finite number of ms >= 0/],
    [() => constant(Number.NaN), /const value must be/],
    [() => exponential(0), /exp mean must be a finite number of ms > 0/],
    [() => exponential(Infinity), /exp mean must be/],
    [() => uniform(3, 1), /uniform min must be <= max/],
    [() => uniform(-1, 1), /uniform min must be a finite number of ms >= 0/],
    [() => erlang(0, 10), /erlang k \(phases\) must be an integer from 1 to 1000/],
    [() => erlang(2.5, 10), /erlang k \(phases\) must be an integer/],
    [() => erlang(1001, 10), /erlang k \(phases\) must be an integer from 1 to 1000/],
    [() => erlang(2, -1), /erlang mean must be/],
    [() => lognormal(0, 1), /lognormal mean must be/],
    [() => lognormal(10, -0.1), /lognormal cv must be a finite number >= 0/],
    [() => pareto(10, 1), /pareto shape must be a finite number > 1/],
    [() => pareto(10, Infinity), /pareto shape must be/],
    [() => mixture([]), /mix needs at least one part/],
    [() => mixture([{ weight: 0.5, dist: constant(1) }]), /mix weights must sum to 1, got 0.5/],
    [
      () =>
        mixture([
          { weight: -1, dist: constant(1) },
          { weight: 2, dist: constant(1) },
        ]),
      /mix weight must be a finite number > 0/,
    ],
  ])("%# rejects bad parameters with a clear message", (build, message) => {
    expect(build).toThrow(message);
  });

  test("pareto is type I: its smallest value is the scale mean·(shape−1)/shape", () => {
    expect(pareto(20, 2.5).sample(scripted([0]))).toBe(12);
    expect(pareto(20, 2).variance).toBe(Infinity);
    expect(pareto(20, 3).variance).toBeCloseTo(400 / 3, 12);
  });

  test("mix accepts weights that sum to 1 within 1e-9", () => {
    const d = mixture([
      { weight: 0.5 + 4e-10, dist: constant(1) },
      { weight: 0.5, dist: constant(3) },
    ]);
    expect(d.mean).toBeCloseTo(2, 8);
  });
});

describe("parseDistribution", () => {
  test.each([
    ["const(5ms)", "const(5ms)", 5],
    ["exp(20ms)", "exp(20ms)", 20],
    ["uniform(1ms, 3ms)", "uniform(1ms, 3ms)", 2],
    ["erlang(4, 20ms)", "erlang(4, 20ms)", 20],
    ["lognormal(20ms, 1.5)", "lognormal(20ms, 1.5)", 20],
    ["pareto(20ms, 2.5)", "pareto(20ms, 2.5)", 20],
    ["mix(0.99: exp(10ms), 0.01: const(1s))", "mix(0.99: exp(10ms), 0.01: const(1s))", 19.9],
    ["5ms", "const(5ms)", 5],
    ["0", "const(0ms)", 0],
    ["1m30s", "const(1m30s)", 90_000],
    ["  exp( 1.5s )  ", "exp(1.5s)", 1500],
    ["uniform(1ms,3ms)", "uniform(1ms, 3ms)", 2],
    [
      "mix( 0.5 : mix(0.5: 1ms, 0.5: 3ms) ,\n 0.5:exp(2ms) )",
      "mix(0.5: mix(0.5: const(1ms), 0.5: const(3ms)), 0.5: exp(2ms))",
      2,
    ],
    ["lognormal(20ms, 1e-1)", "lognormal(20ms, 0.1)", 20],
  ])("reads %j as %s with mean %d ms", (text, canonical, mean) => {
    const d = parseDistribution(text);
    expect(d.toString()).toBe(canonical);
    expect(d.mean).toBeCloseTo(mean, 12);
  });

  test.each([
    [
      "gamma(1ms)",
      /^unknown distribution "gamma"; expected one of const, exp, uniform, erlang, lognormal, pareto, mix$/,
    ],
    ["exp(1ms, 2ms)", /^exp takes 1 argument \(the mean, e\.g\. exp\(20ms\)\), got 2$/],
    ["exp()", /^exp takes 1 argument .*, got 0$/],
    [
      "uniform(1ms)",
      /^uniform takes 2 arguments \(min and max, e\.g\. uniform\(1ms, 3ms\)\), got 1$/,
    ],
    ["exp", /^exp needs its arguments in parentheses, e\.g\. exp\(20ms\)$/],
    ["gamma", /expected a distribution such as exp\(20ms\) or a duration such as 5ms, got "gamma"/],
    ["exp(20)", /^exp: expected a duration such as 250ms, 1\.5s or 1m30s, got "20"/],
    ["12", /expected a duration.*got "12"/],
    ["exp(20 ms)", /expected "," or "\)" in exp\(\.\.\.\), got "m" at column 8/],
    ["exp(1ms", /expected "," or "\)" in exp\(\.\.\.\), got the end of the text/],
    ["exp(1ms) extra", /expected the end of the distribution, got "e" at column 10/],
    ["", /expected a distribution such as exp\(20ms\).*got the end of the text/],
    ["erlang(4ms, 20ms)", /erlang: expected a plain number such as 4 or 1\.5, got "4ms"/],
    ["erlang(2.5, 20ms)", /erlang k \(phases\) must be an integer/],
    ["exp(0ms)", /exp mean must be a finite number of ms > 0/],
    ["mix()", /mix takes one or more "weight: distribution" parts/],
    ["mix(exp(1ms))", /expected ":" after the mix weight "exp"/],
    ["mix(0.5: exp(1ms), 0.4: 1ms)", /mix weights must sum to 1, got 0\.9/],
    ["mix(half: 1ms)", /mix weight: expected a plain number/],
    ["toString(1ms)", /unknown distribution "toString"/],
    ["mix(1: ".repeat(40) + "1ms" + ")".repeat(40), /distributions nest at most 32 deep/],
  ])("rejects %j, naming what it expected", (text, message) => {
    expect(() => parseDistribution(text)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. fast-check prints its seed on failure; pass { seed } to test.prop to replay one.

const TOKENS = [
  "exp",
  "mix",
  "const",
  "uniform",
  "erlang",
  "pareto",
  "lognormal",
  "gamma",
  "(",
  ")",
  ",",
  ":",
  " ",
  "0",
  "1",
  "0.5",
  "1e-3",
  "-",
  "ms",
  "s",
  "us",
  "1m30s",
  "20ms",
  ".",
];
const textish = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join("")),
);

/** Whole-microsecond durations, so the canonical text carries them exactly. */
const wholeUs = (min: number) => fc.integer({ min, max: 10_000_000_000 }).map((us) => us / 1000);
const leaf: fc.Arbitrary<Distribution> = fc.oneof(
  wholeUs(0).map(constant),
  wholeUs(1).map(exponential),
  fc.tuple(wholeUs(0), wholeUs(0)).map(([a, b]) => uniform(Math.min(a, b), Math.max(a, b))),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), wholeUs(1)).map(([k, m]) => erlang(k, m)),
  fc
    .tuple(wholeUs(1), fc.double({ min: 0, max: 10, noNaN: true }))
    .map(([m, cv]) => lognormal(m, cv)),
  fc
    .tuple(wholeUs(1), fc.double({ min: 1, max: 10, minExcluded: true, noNaN: true }))
    .map(([m, s]) => pareto(m, s)),
);
const { dist: anyDistribution } = fc.letrec<{ dist: Distribution; mix: Distribution }>((tie) => ({
  dist: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("mix")),
  mix: fc
    .array(fc.tuple(fc.integer({ min: 1, max: 1000 }), tie("dist")), { minLength: 1, maxLength: 3 })
    .map((parts) => {
      const total = parts.reduce((sum, [count]) => sum + count, 0);
      return mixture(parts.map(([count, dist]) => ({ weight: count / total, dist })));
    }),
}));

describe("parseDistribution properties", () => {
  propTest.prop([textish], { numRuns: 2000 })(
    "on any text either returns a distribution whose canonical form is a fixed point, or throws an Error",
    (text) => {
      let dist: Distribution;
      try {
        dist = parseDistribution(text);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message.length).toBeGreaterThan(0);
        return;
      }
      expect(Number.isFinite(dist.mean)).toBe(true);
      const canonical = dist.toString();
      expect(parseDistribution(canonical).toString()).toBe(canonical);
    },
  );

  propTest.prop([anyDistribution], { numRuns: 500 })(
    "re-reads every canonical toString() as a distribution with the same mean and variance",
    (dist) => {
      const again = parseDistribution(dist.toString());
      expect(again.toString()).toBe(dist.toString());
      expect(again.mean).toBe(dist.mean);
      expect(again.variance).toBe(dist.variance);
      expect(again.isConstant).toBe(dist.isConstant);
    },
  );
});
