// Mean-parameterised service-time and latency distributions (ms): constant, exponential, uniform,
// Erlang, lognormal, Pareto and mixtures, each checking its parameters in one place. Their text
// form ("exp(20ms)") is read by distributionText.ts. `sample` allocates nothing and keeps no state
// between calls, so one object serves many rngs. Leaves out fitting, truncation and correlated
// draws; toString round-trips whole microseconds.

import type { Distribution } from "./distribution.ts";
import { formatDuration, MAX_DURATION_MS } from "./duration.ts";
import { openUnit, sampleNormalQuantile } from "./normalQuantile.ts";
import type { Rng } from "./random.ts";

// ---------------------------------------------------------------------------------------------
// Parameter checks: one place, one message shape ("<kind> <param> must be ..., got ...").

function checkDuration(kind: string, param: string, value: number, positive: boolean): void {
  const low = positive ? value > 0 : value >= 0;
  if (!(low && value <= MAX_DURATION_MS)) {
    const bound = positive ? "> 0" : ">= 0";
    throw new Error(
      `${kind} ${param} must be a finite number of ms ${bound} (at most 2^53 us), got ${value}`,
    );
  }
}

/** The largest uniform draw a stream gives (32-bit draws), moved inside (0, 1) as samplers do. */
const LARGEST_UNIFORM = 1 - 2 ** -32;

/**
 * A heavy tail's largest possible draw, its mean and (where it exists) its variance must be
 * finite numbers, or the clock would be asked to schedule at Infinity or NaN.
 */
function checkLargest(dist: Distribution, largest: number, what: string): Distribution {
  const moments = Number.isFinite(dist.mean) && !Number.isNaN(dist.variance);
  if (!Number.isFinite(largest) || !moments) {
    throw new Error(
      `${dist.toString()} would draw values up to ${Number.isFinite(largest) ? `${largest} ms` : "infinity"}; its largest draw and its moments must be finite, so use a smaller ${what}`,
    );
  }
  return dist;
}

function checkNumber(kind: string, param: string, ok: boolean, rule: string, value: number): void {
  if (!ok || !Number.isFinite(value))
    throw new Error(`${kind} ${param} must be ${rule}, got ${value}`);
}

// ---------------------------------------------------------------------------------------------
// The kinds. Each class holds precomputed constants so `sample` is a few arithmetic operations.

class Constant implements Distribution {
  readonly variance = 0;
  readonly isConstant = true;
  constructor(readonly mean: number) {}
  sample(_rng: Rng): number {
    return this.mean;
  }
  toString(): string {
    return `const(${formatDuration(this.mean)})`;
  }
}

/** A constant `valueMs`; sampling draws nothing from the rng. */
export function constant(valueMs: number): Distribution {
  checkDuration("const", "value", valueMs, false);
  return new Constant(valueMs);
}

class Exponential implements Distribution {
  readonly variance: number;
  readonly isConstant = false;
  constructor(readonly mean: number) {
    this.variance = mean * mean;
  }
  sample(rng: Rng): number {
    return -this.mean * Math.log(1 - rng.next());
  }
  toString(): string {
    return `exp(${formatDuration(this.mean)})`;
  }
}

/** Exponential with mean `meanMs` (rate 1/meanMs): variance meanMs². */
export function exponential(meanMs: number): Distribution {
  checkDuration("exp", "mean", meanMs, true);
  return new Exponential(meanMs);
}

class Uniform implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly isConstant = false;
  private readonly width: number;
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.width = max - min;
    this.mean = (min + max) / 2;
    this.variance = (this.width * this.width) / 12;
  }
  sample(rng: Rng): number {
    return this.min + this.width * rng.next();
  }
  toString(): string {
    return `uniform(${formatDuration(this.min)}, ${formatDuration(this.max)})`;
  }
}

/** Uniform on [minMs, maxMs): mean (min+max)/2, variance (max−min)²/12. */
export function uniform(minMs: number, maxMs: number): Distribution {
  checkDuration("uniform", "min", minMs, false);
  checkDuration("uniform", "max", maxMs, false);
  if (minMs > maxMs)
    throw new Error(`uniform min must be <= max, got min ${minMs} and max ${maxMs}`);
  return new Uniform(minMs, maxMs);
}

/** Guard for erlang's product of uniforms: fold into a log well before it could underflow. */
const PRODUCT_FLOOR = 1e-280;
/** Erlang's sampler costs k draws, so k is bounded to keep one draw cheap. */
const MAX_ERLANG_PHASES = 1000;

class Erlang implements Distribution {
  readonly variance: number;
  readonly isConstant = false;
  private readonly phaseMean: number;
  constructor(
    readonly k: number,
    readonly mean: number,
  ) {
    this.phaseMean = mean / k;
    this.variance = (mean * mean) / k;
  }
  sample(rng: Rng): number {
    // −phaseMean·ln(∏ uᵢ) with uᵢ in (0, 1]; the product is folded into `logSum` before underflow.
    let logSum = 0;
    let product = 1;
    for (let i = 0; i < this.k; i++) {
      product *= 1 - rng.next();
      if (product < PRODUCT_FLOOR) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    return -this.phaseMean * (logSum + Math.log(product));
  }
  toString(): string {
    return `erlang(${this.k}, ${formatDuration(this.mean)})`;
  }
}

/** Sum of `k` exponential phases with total mean `meanMs`: variance meanMs²/k. */
export function erlang(k: number, meanMs: number): Distribution {
  const kOk = Number.isInteger(k) && k >= 1 && k <= MAX_ERLANG_PHASES;
  checkNumber("erlang", "k (phases)", kOk, `an integer from 1 to ${MAX_ERLANG_PHASES}`, k);
  checkDuration("erlang", "mean", meanMs, true);
  return new Erlang(k, meanMs);
}

class Lognormal implements Distribution {
  readonly variance: number;
  readonly isConstant = false;
  private readonly mu: number;
  private readonly sigma: number;
  constructor(
    readonly mean: number,
    readonly cv: number,
  ) {
    const sigma2 = Math.log1p(cv * cv);
    this.sigma = Math.sqrt(sigma2);
    this.mu = Math.log(mean) - sigma2 / 2;
    this.variance = mean * mean * cv * cv;
  }
  /** The draw at uniform `p` in (0, 1), as sample() computes it. */
  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * sampleNormalQuantile(p));
  }
  sample(rng: Rng): number {
    // Inverse transform: one uniform, no state between calls (Box–Muller's cosine cost a sixth
    // of a checkout run, as the network's latency is lognormal on every hop; the tabulated
    // quantile then halved what was left).
    return Math.exp(this.mu + this.sigma * sampleNormalQuantile(openUnit(rng.next())));
  }
  toString(): string {
    return `lognormal(${formatDuration(this.mean)}, ${this.cv})`;
  }
}

/** Lognormal with mean `meanMs` and coefficient of variation `cv`: σ² = ln(1+cv²), μ = ln(mean) − σ²/2. */
export function lognormal(meanMs: number, cv: number): Distribution {
  checkDuration("lognormal", "mean", meanMs, true);
  checkNumber("lognormal", "cv", cv >= 0, "a finite number >= 0", cv);
  const dist = new Lognormal(meanMs, cv);
  // A lognormal's variance always exists: Infinity here is an overflow, not a heavy tail.
  const largest = Number.isFinite(dist.variance) ? dist.quantile(openUnit(LARGEST_UNIFORM)) : NaN;
  return checkLargest(dist, largest, "mean or cv");
}

class Pareto implements Distribution {
  readonly variance: number;
  readonly isConstant = false;
  readonly scale: number;
  private readonly negInvShape: number;
  constructor(
    readonly mean: number,
    readonly shape: number,
  ) {
    this.scale = (mean * (shape - 1)) / shape;
    this.negInvShape = -1 / shape;
    // x_m²·α / ((α−1)²(α−2)) simplifies to mean² / (α(α−2)).
    this.variance = shape > 2 ? (mean * mean) / (shape * (shape - 2)) : Infinity;
  }
  sample(rng: Rng): number {
    // Inverse CDF: x_m · U^(−1/α) with U = 1 − next() in (0, 1].
    return this.scale * (1 - rng.next()) ** this.negInvShape;
  }
  toString(): string {
    return `pareto(${formatDuration(this.mean)}, ${this.shape})`;
  }
}

/**
 * Pareto type I with mean `meanMs` and tail index `shape` > 1; scale x_m = mean·(shape−1)/shape.
 * Variance is Infinity when shape <= 2.
 */
export function pareto(meanMs: number, shape: number): Distribution {
  checkDuration("pareto", "mean", meanMs, true);
  checkNumber(
    "pareto",
    "shape",
    shape > 1,
    "a finite number > 1 (the mean is infinite otherwise)",
    shape,
  );
  const dist = new Pareto(meanMs, shape);
  return checkLargest(
    dist,
    dist.scale * (1 - LARGEST_UNIFORM) ** (-1 / shape),
    "mean or a larger shape",
  );
}

export interface MixturePart {
  weight: number;
  dist: Distribution;
}

/** Weights must sum to 1 within this; the last part absorbs the rounding when sampling. */
const WEIGHT_SUM_TOLERANCE = 1e-9;

class Mixture implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly isConstant = false;
  private readonly dists: readonly Distribution[];
  private readonly weights: readonly number[];
  private readonly cumulative: Float64Array;
  constructor(parts: readonly MixturePart[]) {
    this.dists = parts.map((p) => p.dist);
    this.weights = parts.map((p) => p.weight);
    this.cumulative = new Float64Array(parts.length);
    let acc = 0;
    let mean = 0;
    for (let i = 0; i < parts.length; i++) {
      acc += parts[i].weight;
      this.cumulative[i] = acc;
      mean += parts[i].weight * parts[i].dist.mean;
    }
    this.mean = mean;
    // Law of total variance, in the form Σ w(σ² + (μ − mean)²) that cannot cancel below zero.
    let variance = 0;
    for (const { weight, dist } of parts) {
      const offset = dist.mean - mean;
      variance += weight * (dist.variance + offset * offset);
    }
    this.variance = variance;
  }
  sample(rng: Rng): number {
    const u = rng.next();
    const last = this.dists.length - 1;
    for (let i = 0; i < last; i++) {
      if (u < this.cumulative[i]) return this.dists[i].sample(rng);
    }
    return this.dists[last].sample(rng);
  }
  toString(): string {
    const parts = this.dists.map((d, i) => `${this.weights[i]}: ${d.toString()}`);
    return `mix(${parts.join(", ")})`;
  }
}

/** Picks part i with probability weight i (one uniform, linear scan), then samples it. */
export function mixture(parts: readonly MixturePart[]): Distribution {
  if (parts.length === 0) throw new Error("mix needs at least one part, e.g. mix(1: exp(10ms))");
  let sum = 0;
  for (const { weight } of parts) {
    checkNumber("mix", "weight", weight > 0, "a finite number > 0", weight);
    sum += weight;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new Error(`mix weights must sum to 1, got ${sum}`);
  }
  return new Mixture(parts);
}
