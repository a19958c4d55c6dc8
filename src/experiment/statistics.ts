// Confidence intervals over independent replications (replication/deletion: each run is one
// observation of a figure, warm-up already cut), paired differences under common random numbers,
// and the verdicts read off an interval. Student t quantiles are computed here from the regularised
// incomplete beta function (a continued fraction), no table. Leaves out batch means, bootstrap
// intervals and ranking-and-selection procedures.

/** Two-sided coverage of every interval meshsim reports. */
export const CONFIDENCE = 0.95;

export type Interval = [number, number];

/** A figure over n replications: the mean, the sample standard deviation and the 95% interval. */
export interface Estimate {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 when n < 2. */
  sd: number;
  /** Half the interval's width, t(0.975, n − 1)·sd/√n, or null when n < 2 (no interval). */
  halfWidth: number | null;
  ci95: Interval | null;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of I_x(a, b) by the modified Lentz method. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = p, by bisection on the CDF to 1e-12 relative (df ≥ 1, 0 < p < 1). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  while (high - low > 1e-12 * high) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

const tCache = new Map<number, number>();

/** t(0.975, df), cached: every interval of an experiment asks for a handful of df. */
export function t975(df: number): number {
  let t = tCache.get(df);
  if (t === undefined) {
    t = studentTQuantile(1 - (1 - CONFIDENCE) / 2, df);
    tCache.set(df, t);
  }
  return t;
}

/** Mean, spread and t interval of independent observations, summed in the order given. */
export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) throw new RangeError("an estimate needs at least one value");
  let total = 0;
  for (const v of values) total += v;
  const mean = total / n;
  if (n < 2) return { n, mean, sd: 0, halfWidth: null, ci95: null };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const halfWidth = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, halfWidth, ci95: [mean - halfWidth, mean + halfWidth] };
}

/**
 * The paired difference variant − baseline, replication by replication (both ran seed i). Under
 * common random numbers the two are positively correlated, so the variance of the difference is
 * far below the sum of the two variances, and this interval far tighter than either one's.
 */
export function pairedDifference(
  baseline: readonly number[],
  variant: readonly number[],
): Estimate {
  const n = Math.min(baseline.length, variant.length);
  return estimate(Array.from({ length: n }, (_, i) => variant[i] - baseline[i]));
}

export type Verdict = "better" | "worse" | "no significant difference";

/**
 * Better or worse only when the whole interval of the difference lies on one side of zero;
 * `lowerIsBetter` for latency and errors, not for throughput. Null without an interval (one seed).
 */
export function verdictOf(difference: Estimate, lowerIsBetter: boolean): Verdict | null {
  if (difference.ci95 === null) return null;
  const [lo, hi] = difference.ci95;
  if (lo > 0) return lowerIsBetter ? "worse" : "better";
  if (hi < 0) return lowerIsBetter ? "better" : "worse";
  return "no significant difference";
}

export type ThresholdVerdict = "pass" | "fail" | "undecided";

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

function holds(x: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case "<":
      return x < limit;
    case "<=":
      return x <= limit;
    case ">":
      return x > limit;
    case ">=":
      return x >= limit;
    case "==":
      return x === limit;
    case "!=":
      return x !== limit;
  }
}

/**
 * A k6 threshold judged on an interval: pass when both ends pass (for an ordering, then every
 * value between them does), fail when both fail, otherwise undecided. Without an interval (one
 * seed) the single value decides, as `meshsim run` does.
 */
export function thresholdVerdict(
  figure: Estimate,
  operator: Operator,
  limit: number,
): ThresholdVerdict {
  if (figure.ci95 === null) return holds(figure.mean, operator, limit) ? "pass" : "fail";
  const [lo, hi] = figure.ci95;
  if (operator === "==" || operator === "!=") {
    // Equality of a continuous figure is decided only when the interval is a single point.
    if (lo === hi) return holds(lo, operator, limit) ? "pass" : "fail";
    const inside = lo <= limit && limit <= hi;
    if (operator === "==") return inside ? "undecided" : "fail";
    return inside ? "undecided" : "pass";
  }
  const low = holds(lo, operator, limit);
  const high = holds(hi, operator, limit);
  if (low && high) return "pass";
  if (!low && !high) return "fail";
  return "undecided";
}

/**
 * Whether the interval's half-width is within `relative` of the mean's size. A figure that is 0
 * on every replication has half-width 0 and is precise; one without an interval never is.
 */
export function isPrecise(figure: Estimate, relative: number): boolean {
  if (figure.halfWidth === null) return false;
  return figure.halfWidth <= relative * Math.abs(figure.mean);
}

/**
 * Replications that would bring a figure to `relative` precision if its spread held still:
 * n·(h/(r·|x̄|))², the usual sample-size estimate (t changes little past a few seeds).
 */
export function replicationsNeeded(figure: Estimate, relative: number): number {
  if (figure.halfWidth === null) return figure.n + 1;
  if (isPrecise(figure, relative)) return figure.n;
  const target = relative * Math.abs(figure.mean);
  if (target === 0) return Number.POSITIVE_INFINITY;
  return Math.ceil(figure.n * (figure.halfWidth / target) ** 2);
}
