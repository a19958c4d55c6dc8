// Mean-parameterised service-time and latency distributions (ms) and their text form,
// e.g. "exp(20ms)" or "mix(0.99: exp(10ms), 0.01: const(1s))", read by a recursive-descent parser.
// `sample` allocates nothing and keeps no state between calls, so one object serves many rngs.
// Leaves out fitting, truncation and correlated draws; toString round-trips whole microseconds.

import type { Distribution } from "./distribution.ts";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.ts";
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
  return new Lognormal(meanMs, cv);
}

class Pareto implements Distribution {
  readonly variance: number;
  readonly isConstant = false;
  private readonly scale: number;
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
  return new Pareto(meanMs, shape);
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

// ---------------------------------------------------------------------------------------------
// Text form. Grammar (whitespace allowed between tokens, never inside one):
//   dist  := NAME "(" args ")" | DURATION          a bare duration means const(DURATION)
//   args  := ATOM ("," ATOM)*                      for const, exp, uniform, erlang, lognormal, pareto
//          | NUMBER ":" dist ("," NUMBER ":" dist)*  for mix

interface Kind {
  arity: number;
  /** What the arguments are, for the arity message. */
  args: string;
  example: string;
  build(args: readonly string[]): Distribution;
}

const KINDS: Readonly<Record<string, Kind>> = {
  const: {
    arity: 1,
    args: "the value",
    example: "const(5ms)",
    build: ([v]) => constant(durationArg("const", v)),
  },
  exp: {
    arity: 1,
    args: "the mean",
    example: "exp(20ms)",
    build: ([m]) => exponential(durationArg("exp", m)),
  },
  uniform: {
    arity: 2,
    args: "min and max",
    example: "uniform(1ms, 3ms)",
    build: ([a, b]) => uniform(durationArg("uniform", a), durationArg("uniform", b)),
  },
  erlang: {
    arity: 2,
    args: "phases and mean",
    example: "erlang(4, 20ms)",
    build: ([k, m]) => erlang(numberArg("erlang", k), durationArg("erlang", m)),
  },
  lognormal: {
    arity: 2,
    args: "mean and cv",
    example: "lognormal(20ms, 1.5)",
    build: ([m, cv]) => lognormal(durationArg("lognormal", m), numberArg("lognormal", cv)),
  },
  pareto: {
    arity: 2,
    args: "mean and shape",
    example: "pareto(20ms, 2.5)",
    build: ([m, sh]) => pareto(durationArg("pareto", m), numberArg("pareto", sh)),
  },
};

const KIND_NAMES = "const, exp, uniform, erlang, lognormal, pareto, mix";
const MIX_EXAMPLE = "mix(0.99: exp(10ms), 0.01: const(1s))";
/** Nesting bound, so hostile text fails with a message rather than a stack overflow. */
const MAX_DEPTH = 32;

function durationArg(kind: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new Error(`${kind}: ${(error as Error).message}`);
  }
}

/** A plain decimal number as String(number) prints it: "4", "1.5", "-2", "1e-7". */
function numberArg(kind: string, text: string): number {
  let pos = 0;
  const digits = (): number => {
    const start = pos;
    while (pos < text.length && text[pos] >= "0" && text[pos] <= "9") pos++;
    return pos - start;
  };
  if (text[pos] === "-") pos++;
  let ok = digits() > 0;
  if (ok && text[pos] === ".") {
    pos++;
    ok = digits() > 0;
  }
  if (ok && (text[pos] === "e" || text[pos] === "E")) {
    pos++;
    if (text[pos] === "+" || text[pos] === "-") pos++;
    ok = digits() > 0;
  }
  if (!ok || pos !== text.length) {
    throw new Error(
      `${kind}: expected a plain number such as 4 or 1.5, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

function isAtomChar(c: string): boolean {
  return (
    (c >= "a" && c <= "z") ||
    (c >= "A" && c <= "Z") ||
    (c >= "0" && c <= "9") ||
    c === "." ||
    c === "-" ||
    c === "+"
  );
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Distribution {
    const dist = this.distribution(0);
    this.skipSpace();
    if (this.pos < this.text.length)
      this.fail(`expected the end of the distribution, got ${this.here()}`);
    return dist;
  }

  private distribution(depth: number): Distribution {
    if (depth > MAX_DEPTH) this.fail(`distributions nest at most ${MAX_DEPTH} deep`);
    this.skipSpace();
    const atom = this.atom();
    if (atom === "") {
      this.fail(
        `expected a distribution such as exp(20ms) or a duration such as 5ms, got ${this.here()}`,
      );
    }
    this.skipSpace();
    if (this.text[this.pos] === "(") {
      this.pos++;
      return atom === "mix" ? this.mixArgs(depth) : this.call(atom);
    }
    if (atom === "mix" || Object.hasOwn(KINDS, atom)) {
      const example = atom === "mix" ? MIX_EXAMPLE : KINDS[atom].example;
      throw new Error(`${atom} needs its arguments in parentheses, e.g. ${example}`);
    }
    return constant(parseBareDuration(atom));
  }

  private call(name: string): Distribution {
    if (!Object.hasOwn(KINDS, name)) {
      throw new Error(
        `unknown distribution ${JSON.stringify(name)}; expected one of ${KIND_NAMES}`,
      );
    }
    const kind = KINDS[name];
    const args: string[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ")") {
      this.pos++;
    } else {
      for (;;) {
        this.skipSpace();
        const arg = this.atom();
        if (arg === "") this.fail(`expected an argument of ${name}, got ${this.here()}`);
        args.push(arg);
        if (this.endOfList(name)) break;
      }
    }
    if (args.length !== kind.arity) {
      const plural = kind.arity === 1 ? "argument" : "arguments";
      throw new Error(
        `${name} takes ${kind.arity} ${plural} (${kind.args}, e.g. ${kind.example}), got ${args.length}`,
      );
    }
    return kind.build(args);
  }

  private mixArgs(depth: number): Distribution {
    const parts: MixturePart[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ")") {
      throw new Error(
        `mix takes one or more "weight: distribution" parts, e.g. ${MIX_EXAMPLE}, got none`,
      );
    }
    for (;;) {
      this.skipSpace();
      const weightText = this.atom();
      if (weightText === "") this.fail(`expected a mix weight such as 0.99, got ${this.here()}`);
      this.skipSpace();
      if (this.text[this.pos] !== ":") {
        this.fail(
          `expected ":" after the mix weight ${JSON.stringify(weightText)} (parts look like 0.99: exp(10ms)), got ${this.here()}`,
        );
      }
      this.pos++;
      const weight = numberArg("mix weight", weightText);
      parts.push({ weight, dist: this.distribution(depth + 1) });
      if (this.endOfList("mix")) break;
    }
    return mixture(parts);
  }

  /** After an argument: consumes "," (false: more follow) or ")" (true: the list is done). */
  private endOfList(name: string): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === ",") {
      this.pos++;
      return false;
    }
    if (c === ")") {
      this.pos++;
      return true;
    }
    return this.fail(`expected "," or ")" in ${name}(...), got ${this.here()}`);
  }

  private atom(): string {
    const start = this.pos;
    while (this.pos < this.text.length && isAtomChar(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
  }

  private here(): string {
    return this.pos < this.text.length
      ? JSON.stringify(this.text[this.pos])
      : "the end of the text";
  }

  private fail(message: string): never {
    const shown = this.text.length > 60 ? `${this.text.slice(0, 57)}...` : this.text;
    throw new Error(`${message} at column ${this.pos + 1} of ${JSON.stringify(shown)}`);
  }
}

/** A bare atom is a duration; say "distribution or duration" unless it plainly tried to be one. */
function parseBareDuration(atom: string): number {
  const c = atom[0];
  if ((c >= "0" && c <= "9") || c === "-" || c === ".") return parseDuration(atom);
  throw new Error(
    `expected a distribution such as exp(20ms) or a duration such as 5ms, got ${JSON.stringify(atom)}; distributions are ${KIND_NAMES}`,
  );
}

/** Parses the text form ("exp(20ms)", "mix(0.9: exp(1ms), 0.1: const(1s))", or a bare "5ms"). */
export function parseDistribution(text: string): Distribution {
  return new Parser(text).parse();
}
