// The Distribution contract: a sampler of non-negative durations (simulated milliseconds) or
// plain numbers, with its exact mean and variance so tests and reports can quote theory.
import type { Rng } from "./random.ts";

export interface Distribution {
  /** One draw, using only `rng`. */
  sample(rng: Rng): number;
  /** Exact mean (milliseconds for durations). */
  readonly mean: number;
  /** Exact variance (Infinity where it does not exist, e.g. pareto with shape <= 2). */
  readonly variance: number;
  /** True when every draw is the same value (lets hot paths skip scheduling a zero delay). */
  readonly isConstant: boolean;
  /** The canonical string form, e.g. "exp(20ms)". */
  toString(): string;
}
