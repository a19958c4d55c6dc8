// What `meshsim capacity` prints with --json (shared/SCENARIO.md: extend, never rename): the
// cheapest point of the varied paths at which every threshold passes on its 95% interval, with the
// evidence a planner needs to trust it (the binding threshold, why each cheaper neighbour fails,
// utilisation, headroom, every evaluated point), or the highest rate a load can take under the
// thresholds. Plain data with a fixed key order, figures to 6 significant digits.
import type { Ci95, ThresholdFigure, ThresholdVerdict } from "./experiment.ts";

/** found: decided; none: nothing in the ranges passes (exit 99); undecided: the caps were hit first (exit 4). */
export type CapacityStatus = "found" | "none" | "undecided";

/** What the search was doing when it evaluated a point (the report's table says it in words). */
export type SearchStep =
  | "corner"
  | "floor"
  | "start"
  | "grow"
  | "lower"
  | "prove"
  | "neighbour"
  | "profile"
  | "descend"
  | "grid";

/** What `capacity()` returns and `meshsim capacity --json` prints: a plan, or a max rate. */
export type CapacityResult = CapacityPlan | MaxRatePlan;

export interface CapacityDimension {
  path: string;
  /** The values the search may choose from, ascending. */
  values: number[];
  /** Cost per unit of the value (--cost; 1 by default). */
  weight: number;
  /**
   * The fewest the model allows before any run, ⌊offered work / capacity⌋ + 1 from the peak rate,
   * the call graph's visits and the mean service times (the point where utilisation would reach
   * 1); null for paths with no such bound.
   */
  modelBound: number | null;
  /** The lowest value that passes with every other path at its highest (bisection), or null. */
  floor: number | null;
}

export interface UtilizationFigure {
  utilization: number;
  utilizationCi95: Ci95;
}

export interface EvaluatedPoint {
  /** The order in which the search evaluated points, from 1. */
  order: number;
  step: SearchStep;
  set: Record<string, number>;
  cost: number;
  seeds: number;
  verdict: ThresholdVerdict;
  thresholds: ThresholdFigure[];
  /**
   * Share of measured requests unfinished when the runs ended (the worst load, mean over runs):
   * above 0.1 the point fails as overloaded, whatever its thresholds say.
   */
  unfinished: number;
  utilization: Record<string, UtilizationFigure>;
}

/** A threshold's standing at a point: how far its figure is from the limit, on the passing side or not. */
export interface ThresholdMargin {
  metric: string;
  expression: string;
  limit: number;
  value: number;
  valueCi95: Ci95;
  /** Room left relative to the limit: (limit − value)/limit for `<`; negative when breached. */
  margin: number;
  marginCi95: Ci95;
}

/** The first threshold a cheaper neighbour breaches, and by how much. */
export interface Breach extends ThresholdMargin {
  verdict: ThresholdVerdict;
  /** The neighbour's figure minus the recommendation's, seed by seed over their common seeds. */
  diff: number;
  diffCi95: Ci95;
}

export interface CheaperNeighbour {
  /** The path lowered by one step from the recommendation. */
  path: string;
  set: Record<string, number>;
  cost: number;
  verdict: ThresholdVerdict;
  /** The first threshold (in the scenario's order) that fails, else the first undecided one. */
  breach: Breach | null;
  /** As EvaluatedPoint's: above 0.1 the neighbour is overloaded. */
  unfinished: number;
}

/** Two decided points that contradict monotonicity: `fails` has at least as much of everything. */
export interface Contradiction {
  passes: Record<string, number>;
  fails: Record<string, number>;
}

export interface RatePoint {
  order: number;
  /** What the rate search was doing: the file's rate, doubling or halving to a bracket, bisecting it. */
  step: "start" | "bracket" | "bisect";
  rate: number;
  seeds: number;
  verdict: ThresholdVerdict;
  thresholds: ThresholdFigure[];
  /** As EvaluatedPoint's: above 0.1 the rate is more than the deployment can finish. */
  unfinished: number;
}

/** The highest arrival rate of one load at which every threshold still passes. */
export interface MaxRate {
  load: string;
  /** The load's timeUnit as written (rates are per this). */
  timeUnit: string;
  /** The load's rate in the file (a ramping load's peak), per timeUnit. */
  fileRate: number;
  status: CapacityStatus;
  met: boolean;
  /** The highest passing rate, per timeUnit; null when none passes. */
  maxRate: number | null;
  /** [highest passing rate, lowest failing rate]; null at an end not found. */
  bracket: [number | null, number | null];
  /** maxRate / fileRate − 1: how far the file's peak can grow (negative: it is already too much). */
  headroom: number | null;
  /** The relative width the bracket was narrowed to (asked), and the width reached. */
  precision: number;
  achieved: number | null;
  /** The threshold that fails at the lowest failing rate (the largest relative breach), there. */
  binding: ThresholdMargin | null;
  /** The binding figure jumps (by more than half its limit) across the bracket instead of rising smoothly. */
  cliff: boolean;
  /** The binding figure's change across the bracket, relative to its limit. */
  jump: number | null;
  contradictions: { passes: number; fails: number }[];
  runs: number;
  points: RatePoint[];
}

export interface MaxRatePlan extends MaxRate {
  scenario: string;
  mode: "max-rate";
  firstSeed: number;
  seeds: { first: number; max: number };
}

export interface CapacityPlan {
  scenario: string;
  mode: "cheapest";
  /** The cheapest point found (see status); null when none passes. */
  recommended: Record<string, number> | null;
  /** Every threshold passes at `recommended`. */
  met: boolean;
  /** Runs the search used (each a scenario run on one seed), headroom included. */
  runs: number;
  /** The full grid's points × the first wave's seeds: what a grid search would have run at least. */
  gridSize: number;
  status: CapacityStatus;
  cost: number | null;
  firstSeed: number;
  seeds: { first: number; max: number };
  dimensions: CapacityDimension[];
  /** The thresholds at the recommendation, judged on their intervals. */
  verdicts: ThresholdFigure[];
  /** The threshold with the least room at the recommendation. */
  binding: ThresholdMargin | null;
  cheaperNeighbours: CheaperNeighbour[];
  utilization: Record<string, UtilizationFigure>;
  headroom: MaxRate | null;
  monotonicity: { holds: boolean; contradictions: Contradiction[] };
  /** Points cheaper than the recommendation that stayed undecided at the seed cap. */
  undecided: Record<string, number>[];
  pointsEvaluated: number;
  points: EvaluatedPoint[];
}
