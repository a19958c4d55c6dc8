// The typed, defaulted scenario that everything past src/scenario/ works with. It is produced
// once by the loader (parse, validate, fill defaults); no code after that checks for undefined.
// Each room owns the settings it consumes (model/, mesh/, load/, observe/, control/ spec.ts and
// faults/spec.ts); this file gathers them into the Scenario and re-exports them for the loader and
// its callers, importing downwards only. Times are simulated milliseconds; rates are per
// millisecond. Arrays keep the file's order.
import type { ConfigPushSpec, DeploymentSpec, RegistrySpec, RolloutSpec } from "../control/spec.ts";
import type { FaultSpec } from "../faults/spec.ts";
import type { LoadSpec } from "../load/spec.ts";
import type { SecuritySpec, TrafficPolicy } from "../mesh/spec.ts";
import type { NetworkSpec, ServiceModelSpec } from "../model/spec.ts";
import type { AlertRuleSpec } from "../observe/alerts/types.ts";
import type { MonitoringSpec, TracingSpec } from "../observe/spec.ts";

export type {
  AutoscalingSpec,
  ConfigPushSpec,
  DeploymentSpec,
  LifecycleSpec,
  RegistrySpec,
  RolloutSpec,
  RolloutStage,
} from "../control/spec.ts";
export type {
  ArrivalProcess,
  AttributeSpec,
  KeySpec,
  LoadSpec,
  Stage,
} from "../load/spec.ts";
export type {
  AuthorizationPolicySpec,
  CircuitBreakerSpec,
  HealthCheckSpec,
  LoadBalancerPolicy,
  LoadBalancerSpec,
  LocalitySpec,
  OutlierDetectionSpec,
  RateLimitSpec,
  ResilienceSpec,
  RetrySpec,
  RouteSpec,
  SecuritySpec,
  SlowStartSpec,
  SubsetSpec,
  TrafficPolicy,
} from "../mesh/spec.ts";
export type {
  CacheSpec,
  CallStep,
  NetworkSpec,
  OperationRef,
  OperationSpec,
  ServiceModelSpec,
  Threading,
  VersionSpec,
  WarmupSpec,
} from "../model/spec.ts";
export type { MonitoringSpec, TracingSampler, TracingSpec } from "../observe/spec.ts";

import type { TransactionsSpec } from "../transactions/spec.ts";
import type { InvariantName } from "./schema/invariants.ts";

export interface Scenario {
  version: 1;
  name: string;
  seed: number;
  durationMs: number;
  /** Requests that arrive before this time are left out of every statistic. */
  warmupMs: number;
  /** The run stops after this many events even if simulated time remains (a reported outcome). */
  maxEvents: number;
  network: NetworkSpec;
  services: ServiceSpec[];
  load: LoadSpec[];
  /** The fault timeline, in file order (typed and defaulted by src/scenario/resolve/faults.ts). */
  faults: FaultSpec[];
  thresholds: ThresholdSpec[];
  /** Metric sampling on the simulated clock. */
  monitoring: MonitoringSpec;
  /** Alert rules evaluated at every scrape (typed and checked by src/scenario/resolve/alerts.ts). */
  alerts: AlertRuleSpec[];
  /** Variants for `meshsim compare`, or null. `meshsim run` runs the scenario as written. */
  compare: CompareSpec | null;
  /**
   * The paths and values `meshsim sweep` varies, or null. `meshsim run` runs the scenario as
   * written.
   */
  sweep: SweepSpec | null;
  /**
   * Tracing (spans, sampling, the critical path), or null when the file has no `tracing:` section.
   */
  tracing: TracingSpec | null;
  /**
   * Workload identities, mTLS and authorization (Istio), or null when the file has neither
   * `security:` nor `authorizationPolicies:`.
   */
  security: SecuritySpec | null;
  /**
   * Planned operator changes in time order (ties in file order): config pushes, each the version it
   * creates.
   */
  changes: ChangeSpec[];
  /**
   * The service registry every proxy discovers endpoints from, or null: every proxy always knows
   * the true set.
   */
  registry: RegistrySpec | null;
  /** meshsim/testing's checkers a plain run watches with (what a swarm's minimal case names); empty: none. */
  invariants: InvariantName[];
  /**
   * Business effects and idempotency stores per operation (src/transactions/), or null when no
   * operation declares either.
   */
  transactions: TransactionsSpec | null;
}

/** One planned change on the timeline, discriminated by `kind` (resolved in scenario/resolve/). */
export type ChangeSpec = ConfigPushSpec | RolloutChangeSpec;

/** A Kubernetes rolling update of one service to one of its versions (src/control/rollout/). */
export interface RolloutChangeSpec extends RolloutSpec {
  kind: "rollout";
}

export interface CompareSpec {
  /** Runs per variant, with seeds seed, seed + 1, ...: the same seeds for every variant. */
  seeds: number;
  variants: VariantSpec[];
}

export interface SweepSpec {
  /** Runs per point, or null for the command's default. */
  seeds: number | null;
  /** Pair the paths' values one to one instead of crossing them. */
  zip: boolean;
  /** Each path with its values, in file order (the first varies slowest). */
  vary: { path: (string | number)[]; values: (string | number | boolean | null)[] }[];
}

export interface VariantSpec {
  name: string;
  /** Values to put at paths of the scenario file, e.g. mesh.defaults.loadBalancer. */
  set: { path: (string | number)[]; value: unknown }[];
}

/**
 * One service as the file describes it: what the model runs (its instances, station and
 * operations), how callers' proxies treat it, and how the control plane runs its pods.
 */
export interface ServiceSpec extends ServiceModelSpec, DeploymentSpec {
  /**
   * How callers' proxies treat this service (Istio DestinationRule): mesh.defaults merged with
   * mesh.services.<name>.
   */
  trafficPolicy: TrafficPolicy;
}

export type ThresholdMetric = "latency" | "errors";
export type ComparisonOperator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** A k6 threshold such as `p(99)<300ms` on `latency`, or `rate<0.01` on `errors`. */
export interface ThresholdSpec {
  metric: ThresholdMetric;
  /** The load it applies to (k6 tag `{load:name}`), or null for all loads together. */
  load: string | null;
  /** The text as written, for reports. */
  expression: string;
  /** `avg`, `min`, `max`, `med`, `p(N)` for latency; `rate` for errors. */
  aggregate: string;
  operator: ComparisonOperator;
  /** Milliseconds for latency, a fraction for rate. */
  value: number;
}
