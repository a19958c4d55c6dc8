// meshsim as a library: the public surface, explicit named exports only (docs/library.md lists
// each one and test/index.test.ts holds the list to it). Parse and validate a scenario (text, file
// or plain object), run it, compare variants on common random numbers, the result types, the
// scenario format's JSON Schema, and the pure consistent-hashing functions. Nothing in src/ imports
// this file; everything else under src/ is internal and may move.
import { ENVOY_MAGLEV, ENVOY_RING_HASH } from "./scenario/defaults.ts";
import { ScenarioError, type ScenarioProblem } from "./scenario/errors.ts";
import { parseScenario } from "./scenario/loader.ts";
import { type PathSegment, renderPath } from "./scenario/path.ts";
import type { Scenario } from "./scenario/types.ts";

// ---------------------------------------------------------------------------------------------
// Scenarios: parse, validate, and the format's JSON Schema.

export { ScenarioError, type ScenarioProblem } from "./scenario/errors.ts";
export { loadScenarioFile, parseScenario } from "./scenario/loader.ts";
export type { PathSegment } from "./scenario/path.ts";
export { scenarioJsonSchema } from "./scenario/schema/jsonSchema.ts";
export type { Scenario, VariantSpec } from "./scenario/types.ts";

/**
 * Validates a scenario given as a plain object (what a YAML or JSON parser returns) and returns
 * the typed, defaulted Scenario, exactly as parseScenario would for the same data written as a
 * file. Problems are reported the same way (a ScenarioError listing every problem with its field
 * path), without line and column: an object has no text to point into. `source` names it in
 * messages.
 */
export function parseScenarioObject(value: unknown, source = "<object>"): Scenario {
  const problem = (path: string, message: string): ScenarioProblem => ({
    file: source,
    line: null,
    column: null,
    path,
    message,
  });
  const unfit = notPlainData(value, []);
  if (unfit !== null) throw new ScenarioError([problem(renderPath(unfit.path), unfit.message)]);
  try {
    // JSON is YAML: the loader's own pass (schema, references, conversion) runs on the same data.
    return parseScenario(JSON.stringify(value, null, 2), source);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw new ScenarioError(error.problems.map((p) => problem(p.path, p.message)));
  }
}

/** The first value JSON would silently change or drop (NaN, undefined, a Map, a function, ...). */
function notPlainData(
  value: unknown,
  path: PathSegment[],
): { path: PathSegment[]; message: string } | null {
  if (value === null || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") {
    return Number.isFinite(value)
      ? null
      : { path, message: `expected a finite number, found ${value}` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = notPlainData(value[i], [...path, i]);
      if (inner !== null) return inner;
    }
    return null;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return {
        path,
        message:
          "expected plain data (maps, lists, strings, numbers, booleans), found an object of a class",
      };
    }
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue; // an absent optional field, as JSON writes it
      const found = notPlainData(inner, [...path, key]);
      if (found !== null) return found;
    }
    return null;
  }
  return {
    path,
    message: `expected plain data, found ${value === undefined ? "undefined" : `a ${typeof value}`}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Running: one run; experiments (a sweep over a grid, a comparison of variants) on the same seeds.

export {
  type CapacityOptions,
  capacity,
} from "./experiment/capacity/capacity.ts";
export type { CostInput, VaryInput } from "./experiment/capacity/inputs.ts";
export { type CompareOptions, compare, type Variant } from "./experiment/compare.ts";
export type { ExperimentProgress } from "./experiment/engine.ts";
export type { ExperimentOptions } from "./experiment/plan.ts";
export { type SweepOptions, sweep } from "./experiment/sweep.ts";
export type { RunWatcher } from "./model/observer.ts";
export type {
  Breach,
  CapacityDimension,
  CapacityPlan,
  CapacityResult,
  CapacityStatus,
  CheaperNeighbour,
  Contradiction,
  EvaluatedPoint,
  MaxRate,
  MaxRatePlan,
  RatePoint,
  SearchStep,
  ThresholdMargin,
  UtilizationFigure,
} from "./result/capacity.ts";
export type {
  Comparison,
  DiffVerdict,
  LatencyDiff,
  LoadDiff,
  LoadSummary,
  VariantDiff,
  VariantOutcome,
} from "./result/compare.ts";
export type {
  Ci95,
  LatencyFigures,
  LoadFigures,
  PooledLatency,
  PrecisionOutcome,
  ServiceFigures,
  Sweep,
  SweepPoint,
  ThresholdFigure,
  ThresholdVerdict,
} from "./result/experiment.ts";
export type { ProgressCallback, RunProgress } from "./run/progress.ts";
export { type RunOptions, runScenario } from "./run/runScenario.ts";

// ---------------------------------------------------------------------------------------------
// The run result (plain JSON with a fixed key order) and its sections.

export type { AlertsResult } from "./result/alerts.ts";
export type { ConfigResult } from "./result/config.ts";
export type { DiscoveryResult } from "./result/discovery.ts";
export type { LatencySummary } from "./result/latency.ts";
export type { MetricsResult } from "./result/metrics.ts";
export type { RecoveryResult } from "./result/recovery.ts";
export type {
  CacheResult,
  EdgeResult,
  FaultRecord,
  InstanceResult,
  LoadResult,
  LoadStageChange,
  RunResult,
  ServiceResult,
  StateChange,
  StopReason,
  ThresholdResult,
} from "./result/run.ts";
export type { SecurityResult } from "./result/security.ts";
export type { TracingResult } from "./result/tracing.ts";

// ---------------------------------------------------------------------------------------------
// Consistent hashing, pure and usable outside the simulator: Envoy's hash functions (xxHash64,
// MurmurHash2-64) and meshsim's former murmur3, Envoy's ring hash and Maglev tables, jump hash, and
// Envoy's bounded-load spill-over.

export { murmur2_64 } from "./kernel/murmur2_64.ts";
export { fmix32, murmur3_32, murmur3_32_bytes, murmur3_32_int } from "./kernel/murmur3.ts";
export { xxHash64 } from "./kernel/xxhash64.ts";
export {
  boundedPick,
  checkBalanceFactor,
  clusterSlots,
  hostSlots,
  LoadBound,
  type Probe,
  RingWalkProbe,
  ShuffleProbe,
} from "./mesh/hashing/boundedLoad.ts";
export {
  HASH_FUNCTIONS,
  type HashFunction,
  hashWords,
  type MaglevHashFunction,
} from "./mesh/hashing/hashFunction.ts";
export { type HashHost, hashHosts, hostSetKey, idOrder } from "./mesh/hashing/hosts.ts";
export { jumpHash } from "./mesh/hashing/jump.ts";
export {
  buildMaglev,
  checkTableSize,
  isPrime,
  MAXIMUM_MAGLEV_TABLE_SIZE,
  type MaglevTable,
  maglevLookup,
} from "./mesh/hashing/maglev.ts";

/** Envoy's default Maglev table_size, 65,537 (its one definition is src/scenario/defaults.ts). */
export const DEFAULT_MAGLEV_TABLE_SIZE = ENVOY_MAGLEV.tableSize;
/** Envoy's default minimum_ring_size, 1024 (src/scenario/defaults.ts). */
export const DEFAULT_MINIMUM_RING_SIZE = ENVOY_RING_HASH.minimumRingSize;
export {
  buildRing,
  checkRingSizes,
  MAXIMUM_RING_SIZE,
  type Ring,
  type RingOptions,
  ringLookup,
  ringPosition,
} from "./mesh/hashing/ring.ts";
