// Small pure helpers for statistical tests against queueing theory: the spread of a statistic
// across seeds, Erlang C, and the exact throughput of a closed M/M/1 station with a think-time
// (delay) station, by the finite-source formula and by mean value analysis. No I/O, no randomness.

export interface SeedSpread {
  /** Number of seeds. */
  n: number;
  /** Mean of the per-seed values. */
  mean: number;
  /** Sample standard deviation across seeds (n − 1 in the denominator). */
  sd: number;
  /** Standard error of `mean`: sd / sqrt(n). */
  se: number;
}

export function spread(values: readonly number[]): SeedSpread {
  const n = values.length;
  if (n < 2) throw new Error(`spread needs at least 2 values, got ${n}`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, se: sd / Math.sqrt(n) };
}

/** 1, 2, ..., n: the seeds a test runs, also printed in its name. */
export function seedsUpTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Erlang B by the stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), for c servers
 * offered a = λ/μ erlangs.
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang C: the probability that an arrival to M/M/c with offered load a = λ/μ < c must wait,
 * C = B / (1 − (a/c)(1 − B)) with B the Erlang B value.
 */
export function erlangC(c: number, a: number): number {
  if (!(a > 0 && a < c)) throw new Error(`erlangC needs 0 < a < c, got a ${a} and c ${c}`);
  const b = erlangB(c, a);
  return b / (1 - (a / c) * (1 - b));
}

/**
 * Throughput of the machine-repairman model (M/M/1//N): N users alternate a think time of mean
 * Z and a request to one exponential FCFS server of mean S. With r = S/Z,
 * p0 = 1 / Σ_{k=0..N} N!/(N−k)! · r^k and X = (1 − p0) / S. Insensitive to the think-time law.
 */
export function finiteSourceThroughput(n: number, thinkS: number, serviceS: number): number {
  const r = serviceS / thinkS;
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= n; k++) {
    term *= (n - k + 1) * r;
    sum += term;
  }
  return (1 - 1 / sum) / serviceS;
}

/**
 * Exact mean value analysis of one queueing station (demand S) and one delay station (think Z):
 * R(k) = S·(1 + Q(k−1)), X(k) = k / (R(k) + Z), Q(k) = X(k)·R(k). Returns X(N) and R(N).
 */
export function mvaSingleStation(
  n: number,
  thinkS: number,
  serviceS: number,
): { throughput: number; responseS: number } {
  let queue = 0;
  let throughput = 0;
  let responseS = 0;
  for (let k = 1; k <= n; k++) {
    responseS = serviceS * (1 + queue);
    throughput = k / (responseS + thinkS);
    queue = throughput * responseS;
  }
  return { throughput, responseS };
}

/**
 * The number of zero values among `count` recorded in a histogram whose `quantile(q)` returns
 * the value of rank max(1, ceil(q·count)): the largest rank r whose quantile is 0, by bisection.
 * Ranks are probed at q = (r − 0.5)/count so that ceil(q·count) is r despite rounding.
 */
export function zeroCount(count: number, quantile: (q: number) => number): number {
  if (count === 0 || quantile(0.5 / count) !== 0) return 0;
  let low = 1; // rank known to be zero
  let high = count + 1; // rank known not to be zero (or past the end)
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (mid <= count && quantile((mid - 0.5) / count) === 0) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * CDF of the χ² law with an even number k of degrees of freedom, in closed form:
 * 1 − e^{−x/2} · Σ_{j=0..k/2−1} (x/2)^j / j!.
 */
export function chiSquareCdfEven(x: number, k: number): number {
  if (!(Number.isInteger(k) && k >= 2 && k % 2 === 0))
    throw new Error(`k must be an even integer >= 2, got ${k}`);
  if (x <= 0) return 0;
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let j = 1; j < k / 2; j++) {
    term *= half / j;
    sum += term;
  }
  return 1 - Math.exp(-half) * sum;
}

/** The x with chiSquareCdfEven(x, k) = p, by bisection to 1e-9 relative. */
export function chiSquareQuantileEven(p: number, k: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`p must be in (0, 1), got ${p}`);
  let low = 0;
  let high = k + 1;
  while (chiSquareCdfEven(high, k) < p) high *= 2;
  while (high - low > 1e-9 * high) {
    const mid = (low + high) / 2;
    if (chiSquareCdfEven(mid, k) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Laplace–Stieltjes transform of the Erlang-k law of mean `mean`: s ↦ (k/mean / (k/mean + s))^k. */
export function erlangLst(k: number, mean: number): (s: number) => number {
  if (!(Number.isInteger(k) && k >= 1 && mean > 0))
    throw new Error(
      `Erlang-k needs an integer k >= 1 and a positive mean, got k ${k}, mean ${mean}`,
    );
  const rate = k / mean;
  return (s) => (rate / (rate + s)) ** k;
}

/**
 * GI/M/1: the root σ in (0, 1) of σ = A*(μ(1 − σ)), A* the LST of the interarrival law and μ the
 * service rate (σ is the probability that an arrival finds the server busy; the number an arrival
 * finds is geometric in σ, and the FCFS sojourn is exponential of mean 1/(μ(1 − σ))). Fixed-point
 * iteration from 0 rises monotonically to the smallest root, the one below 1 when ρ < 1.
 */
export function giM1Sigma(lst: (s: number) => number, mu: number): number {
  let sigma = 0;
  for (let i = 0; i < 100_000; i++) {
    const next = lst(mu * (1 - sigma));
    if (Math.abs(next - sigma) < 1e-15) return next;
    sigma = next;
  }
  throw new Error("GI/M/1 root did not converge (is ρ < 1?)");
}

/**
 * The supermarket model's mean sojourn in service times as n → ∞ (Mitzenmacher; Vvedenskaya,
 * Dobrushin and Karpelevich): Poisson arrivals at ρ·n, each joining the shorter of d queues drawn
 * at random, exponential service: Σ_{i≥1} ρ^((d^i − d)/(d − 1)); for d = 2, Σ ρ^(2^i − 2).
 */
export function supermarketSojourn(rho: number, d: number): number {
  if (!(rho > 0 && rho < 1 && Number.isInteger(d) && d >= 2))
    throw new Error(`needs 0 < ρ < 1 and an integer d >= 2, got ρ ${rho}, d ${d}`);
  let sum = 0;
  for (let i = 1; ; i++) {
    const term = rho ** ((d ** i - d) / (d - 1));
    sum += term;
    if (term < 1e-17 * sum) return sum;
  }
}
