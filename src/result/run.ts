// The run result: plain JSON with a fixed key order (the contract of shared/SCENARIO.md, extended
// never renamed), as run/result.ts summarises a finished world into it. No wall-clock value and no
// machine path: the same scenario and seed give the same bytes. Types only; each optional section
// has its own file beside this one.
import type { StopReason } from "../kernel/scheduler.ts";
import type { AlertsResult } from "./alerts.ts";
import type { ConfigResult } from "./config.ts";
import type { DiscoveryResult } from "./discovery.ts";
import type { RunHistograms } from "./histograms.ts";
import type { LatencySummary } from "./latency.ts";
import type { MetricsResult } from "./metrics.ts";
import type { RecoveryResult } from "./recovery.ts";
import type { SecurityResult } from "./security.ts";
import type { TracingResult } from "./tracing.ts";
import type { TransactionsResult } from "./transactions.ts";

export type { StopReason } from "../kernel/scheduler.ts";

export interface LoadResult {
  offered: number;
  completed: number;
  failed: number;
  latencyMs: LatencySummary;
  /** Offered but neither completed nor failed when the run stopped. */
  inFlight: number;
  /** Failed requests by HTTP status. */
  failures: Record<string, number>;
  /** Completed requests per simulated second after warm-up. */
  throughputPerS: number;
}

export interface InstanceResult {
  id: string;
  requests: number;
  /** Busy worker time over the worker time it was a serving pod (ready, draining, or down by a fault) after warm-up; 0 if it never served. */
  utilization: number;
  activeMax: number;
  /** Milliseconds it was a serving pod after warm-up (a standby slot never started: 0). */
  servingMs: number;
}

/** Serving pods (ready, draining, or down by a fault) over the measured time: the fewest, the time average, the most. */
export interface PodCount {
  min: number;
  mean: number;
  max: number;
}

export interface ServiceResult {
  requests: number;
  errors: number;
  /**
   * Busy worker time over the worker time of the pods that were serving, integrated as pods come
   * and go (concurrency × serving pod-time), after warm-up.
   */
  utilization: number;
  latencyMs: LatencySummary;
  queueWaitMs: LatencySummary;
  instances: InstanceResult[];
  /** Calls turned away because the queue was full (503). */
  rejected: number;
  /** Time-average number of calls present at the service's instances (the L of Little's law). */
  meanInSystem: number;
  /** Calls answered per simulated second after warm-up (the λ of Little's law). */
  throughputPerS: number;
  /** The instances' key caches together, or null when the service has none. */
  cache: CacheResult | null;
  /** How many pods were serving over the measured time (autoscaled and rolled-out services vary). */
  pods: PodCount;
}

export interface CacheResult {
  hits: number;
  misses: number;
  hitRatio: number;
}

/**
 * What the proxies counted on one edge (Envoy's upstream_rq_* counters, in meshsim's words), by
 * the names of model/edge.ts's PROXY_EVENT_NAMES, in that order.
 */
export interface ProxyCounters {
  tries: number;
  retries: number;
  hedges: number;
  timeouts: number;
  breakerRejections: number;
  rateLimited: number;
  overflows: number;
  noHealthyUpstream: number;
  connectFailures: number;
  resets: number;
  retryOverflows: number;
}

export interface EdgeResult {
  /** Measured tries the caller's proxies sent on this edge (retries and hedges included). */
  requests: number;
  /** Fraction of them each endpoint received, by instance id. */
  share: Record<string, number>;
  /** Busiest endpoint's count over the mean count (1 = perfectly even). */
  imbalance: number;
  /**
   * The proxies' counters on this edge: tries, retries, hedges, timeouts, breaker rejections, ...
   */
  proxy: ProxyCounters;
}

/** A breaker transition, an ejection or return, an instance's death or restart. */
export interface StateChange {
  atMs: number;
  component: string;
  from: string;
  to: string;
}

/**
 * A fault window as it happened. `endMs` is null for a fault still in force when the run ended.
 * `targets`: instance ids (in id order), `from->to` for an edge, or for a partition one entry per
 * side (its zones or instance ids joined by ","; a single entry means cut off from everything else).
 */
export interface FaultRecord {
  name: string;
  /**
   * The fault's kind as the scenario names it (pod-kill, delay, partition, ...: faults/spec.ts).
   */
  kind: string;
  startMs: number;
  endMs: number | null;
  targets: string[];
}

/**
 * A ramping load's stage beginning (k6's `stages`): from `atMs` the load moves linearly from `from`
 * to `to` over `durationMs` (a stage of 0 jumps at once); `stage` is 1-based. `stage: null` is the
 * end of the last stage, where the executor stops (`to` 0), when that is before the run's end.
 * Rates are requests per second (ramping-arrival-rate), or VUs (ramping-vus).
 */
export interface LoadStageChange {
  atMs: number;
  load: string;
  stage: number | null;
  from: number;
  to: number;
  durationMs: number;
  unit: "requests/s" | "VUs";
}

/** A k6 threshold's verdict: `meshsim run` exits 99 when one is not ok. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  actual: number;
  ok: boolean;
}

export interface RunResult {
  scenario: string;
  seed: number;
  simulatedMs: number;
  events: number;
  load: Record<string, LoadResult>;
  services: Record<string, ServiceResult>;
  /** Breaker transitions, ejections and returns, instance deaths and restarts, in time order. */
  stateChanges: StateChange[];
  /** Fault windows as they happened; endMs is null for a fault still in force at the end. */
  faults: FaultRecord[];
  /** Why the run stopped: its duration ran out, or the event cap was hit. */
  stopReason: StopReason;
  /**
   * The scenario's warm-up: statistics ignore requests that arrive before it (the time series do
   * not).
   */
  warmupMs: number;
  thresholds: ThresholdResult[];
  /** Per balanced edge, `caller->service` (a load's caller is `load:<name>`). */
  edges: Record<string, EdgeResult>;
  /** Time series scraped every monitoring.scrapeInterval from time 0 (warm-up included). */
  metrics: MetricsResult;
  /**
   * Sampling counts and the critical-path breakdown, or null when tracing is off (the only field
   * tracing changes).
   */
  tracing: TracingResult | null;
  /** Alert rules, every alert episode, and which alerts detected each fault (or fired for none). */
  alerts: AlertsResult;
  /**
   * Config versions, when each reached the proxies, and which version each proxy ran when; null
   * without config pushes.
   */
  config: ConfigResult | null;
  /**
   * mTLS modes, identities, handshakes, and tries refused (plaintext to STRICT) or denied
   * (authorization), per edge and policy; null without security.
   */
  security: SecurityResult | null;
  /**
   * Pods per phase over time, autoscaler decisions and rolling updates; null when no service's pods
   * change.
   */
  recovery: RecoveryResult | null;
  /**
   * Each proxy's registry view against the truth (staleness, sends to dead or draining instances)
   * and registry events; null without a registry.
   */
  discovery: DiscoveryResult | null;
  /**
   * Mergeable latency histograms, only when the run was asked for them (RunOptions.histograms):
   * absent from `meshsim run` results.
   */
  histograms?: RunHistograms;
  /** The up-front cost estimate (scenario/cost.ts) beside what the run took; the CLI's budgets hold the estimate. */
  cost: CostResult;
  /**
   * When each ramping load's stages began (and ended), in time order: only the changes before the
   * run stopped. Present only when the scenario has a ramping executor (absent otherwise, so such
   * results keep their bytes).
   */
  loadStages?: LoadStageChange[];
  /**
   * The business ledger over the measured orders; present only when the scenario declares effects
   * or idempotency (absent otherwise, so such results keep their bytes).
   */
  transactions?: TransactionsResult;
}

export interface CostResult {
  estimatedRequests: number;
  /** Before the scenario's maxEvents cap. */
  estimatedEvents: number;
  /** The events the run took (as `events`), beside the estimate. */
  events: number;
  /** Peak memory of the process, MiB. */
  estimatedMemoryMB: number;
}
