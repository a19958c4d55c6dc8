// The typed, defaulted scenario that everything past src/scenario/ works with. It is produced
// once by the loader (parse, validate, fill defaults); no code after that checks for undefined.
// Times are simulated milliseconds; rates are per millisecond. Arrays keep the file's order.

import type { ConfigPushSpec } from "../control/config/types.ts";
import type { HealthCheckConfig } from "../control/registry/activeHealthCheck.ts";
import type { RegistrySpec } from "../control/registry/presets.ts";
import type { FaultSpec } from "../faults/types.ts";
import type { Distribution } from "../kernel/distribution.ts";
import type { CircuitBreakerConfig } from "../mesh/resilience/circuitBreaker.ts";
import type { OutlierDetectionConfig } from "../mesh/resilience/outlierDetection.ts";
import type { AuthorizationPolicy } from "../mesh/security/authorization.ts";
import type { WorkloadIdentity } from "../mesh/security/identity.ts";
import type { MtlsMode } from "../mesh/security/peerAuthentication.ts";
import type { AlertRuleSpec } from "../observe/alerts/types.ts";

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
  /** The fault timeline, in file order (typed and defaulted by src/faults/resolve.ts). */
  faults: FaultSpec[];
  thresholds: ThresholdSpec[];
  /** Metric sampling on the simulated clock. */
  monitoring: MonitoringSpec;
  /** Alert rules evaluated at every scrape (typed and checked by src/observe/alerts/resolve.ts). */
  alerts: AlertRuleSpec[];
  /** Variants for `meshsim compare`, or null. `meshsim run` runs the scenario as written. */
  compare: CompareSpec | null;
  /** Tracing (spans, sampling, the critical path), or null when the file has no `tracing:` section. */
  tracing: TracingSpec | null;
  /** Workload identities, mTLS and authorization (Istio), or null when the file has neither `security:` nor `authorizationPolicies:`. */
  security: SecuritySpec | null;
  /** Planned operator changes in time order (ties in file order): config pushes, each the version it creates. */
  changes: ChangeSpec[];
  /** The service registry every proxy discovers endpoints from, or null: every proxy always knows the true set. */
  registry: RegistrySpec | null;
}

export type { RegistrySpec } from "../control/registry/presets.ts";

/** One planned change on the timeline, discriminated by `kind` (src/control/config/resolve.ts resolves config pushes). */
export type ChangeSpec = ConfigPushSpec | RolloutChangeSpec;

/** A Kubernetes rolling update of one service to one of its versions (src/control/rollout/). */
export interface RolloutChangeSpec extends RolloutSpec {
  kind: "rollout";
}

import type { RolloutSpec } from "../control/rollout/rolloutController.ts";

export type { TracingSampler } from "../result/tracing.ts";

import type { TracingSampler } from "../result/tracing.ts";

export interface TracingSpec {
  /** The head sampler, decided from the trace id when a request starts. */
  sampler: TracingSampler;
  /** The TraceIdRatioBased ratio (used by the traceidratio samplers). */
  ratio: number;
  /** Tail sampling: keep every trace with a span that ended in error. */
  keepErrors: boolean;
  /** Tail sampling: keep every trace whose request took longer than this, or null. */
  keepSlowerThanMs: number | null;
  /** OTLP times are simulated time after this instant (unix ms), from `epoch` in the file. */
  epochMs: number;
  /** At most this many traces are kept (see observe/tracing/keptTraces.ts for which). */
  maxTraces: number;
}

export interface MonitoringSpec {
  /** Metrics are sampled every this many simulated ms (Prometheus scrape_interval). */
  scrapeIntervalMs: number;
  /** At most this many stored points per series. */
  maxPoints: number;
  /** Upper bounds (le) of the latency histograms' buckets, in ms, increasing. */
  bucketsMs: number[];
}

export interface CompareSpec {
  /** Runs per variant, with seeds seed, seed + 1, ...: the same seeds for every variant. */
  seeds: number;
  variants: VariantSpec[];
}

export interface VariantSpec {
  name: string;
  /** Values to put at paths of the scenario file, e.g. mesh.defaults.loadBalancer. */
  set: { path: (string | number)[]; value: unknown }[];
}

export interface NetworkSpec {
  /** One-way latency of every hop, applied on the request and again on the response. */
  latency: Distribution;
  /** Added one-way latency when caller and instance are in different zones. */
  crossZoneLatency: Distribution;
}

export type Threading = "blocking" | "async";

export interface ServiceSpec {
  name: string;
  /** Total instances: the sum over versions. */
  instances: number;
  /** Groups of instances with their own labels, weight and speed (like one Deployment per version). */
  versions: VersionSpec[];
  /** Worker slots per instance (the c of M/M/c). */
  concurrency: number;
  /** Waiting room per instance; Infinity when unbounded. A full queue rejects with 503. */
  queueCapacity: number;
  /** blocking: a slot is held while waiting on downstream calls; async: it is released. */
  threading: Threading;
  /** Zones the instances are spread over, instance i in zones[i mod zones.length]. */
  zones: string[];
  operations: OperationSpec[];
  /** Per-instance LRU cache of request keys, or null: a hit is served with `hitServiceTime`. */
  cache: CacheSpec | null;
  /** How callers' proxies treat this service (Istio DestinationRule): mesh.defaults merged with mesh.services.<name>. */
  trafficPolicy: TrafficPolicy;
  /** Pod lifecycle (Kubernetes' defaults if an HPA or rollout manages the pods), or null: ready at once, no supervisor. */
  lifecycle: LifecycleSpec | null;
  /** A HorizontalPodAutoscaler on the instances' utilization, or null. */
  autoscaling: AutoscalingSpec | null;
}

export type { LifecycleSpec } from "../control/recovery/workload.ts";

import type { LifecycleSpec } from "../control/recovery/workload.ts";

export interface AutoscalingSpec {
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
  syncPeriodMs: number;
  scaleUp: { stabilizationWindowMs: number; tolerance: number };
  scaleDown: { stabilizationWindowMs: number; tolerance: number };
}

export interface VersionSpec {
  name: string;
  instances: number;
  /** Labels that DestinationRule subsets select on; always includes `version: <name>`. */
  labels: Record<string, string>;
  /** Envoy load_balancing_weight of each instance (>= 1). */
  weight: number;
  /** Service times of these instances are multiplied by this (3 = a slow, noisy-neighbour host). */
  serviceTimeFactor: number;
}

export interface CacheSpec {
  capacity: number;
  hitServiceTime: Distribution;
}

/** One upstream's policy, as every caller's proxy applies it. */
export interface TrafficPolicy {
  loadBalancer: LoadBalancerSpec;
  /** DestinationRule subsets: named groups of instances selected by labels. */
  subsets: SubsetSpec[];
  /** VirtualService HTTP routes, first match wins; empty means every request goes to all instances. */
  routes: RouteSpec[];
  /** Timeouts, retries, hedging, breakers, outlier detection, limits: how the proxy recovers. */
  resilience: ResilienceSpec;
  /** Locality-prioritised balancing (P0: the caller's zone); `enabled: false` turns it off. */
  locality: LocalitySpec;
}

/** The fault-recovery settings of one upstream (Istio/Envoy names; resilience4j for the breaker). */
export interface ResilienceSpec {
  /** Istio route timeout, covering all tries and back-offs; null: none (Istio's default). */
  timeoutMs: number | null;
  retries: RetrySpec;
  /** Envoy retry budget, or null for the static `maxRetries` threshold. */
  retryBudget: { budgetPercent: number; minRetryConcurrency: number } | null;
  /** Envoy max_retries: concurrent retries per proxy and upstream (Istio sets 2^32 − 1). */
  maxRetries: number;
  /** gRPC-style hedging, or null. Exclusive with retries (attempts > 0) as in gRPC. */
  hedging: { delayMs: number; maxAttempts: number; cancelLosers: boolean } | null;
  /** Whether a timed-out try is cancelled at the server (queued work dropped) or keeps running. */
  cancelOnTimeout: boolean;
  /** resilience4j CircuitBreaker per proxy and upstream, or null. */
  circuitBreaker: CircuitBreakerSpec | null;
  /** Envoy outlier detection per proxy and upstream, or null. */
  outlierDetection: OutlierDetectionSpec | null;
  /** Envoy healthy_panic_threshold in percent (0 disables panic). */
  healthyPanicThreshold: number;
  /** Envoy cluster circuit-breaker thresholds as seen by one proxy. */
  connectionPool: { maxRequests: number; maxPendingRequests: number; maxConnections: number };
  /** Envoy local rate limit (token bucket), per calling proxy or per instance of this service; or null. */
  rateLimit: RateLimitSpec | null;
  /** Istio tcp.connectTimeout: how long a connect to an unreachable host takes to fail. */
  connectTimeoutMs: number;
  /** Envoy active health checking by each calling proxy, or null (none, Istio's default). */
  healthCheck: HealthCheckSpec | null;
}

export interface RetrySpec {
  /** Retries after the first try (Istio `attempts`); 0 disables retries. */
  attempts: number;
  /** Timeout of each try, or null: only the route timeout applies. */
  perTryTimeoutMs: number | null;
  /** Envoy/Istio retry_on conditions, as written (validated). */
  retryOn: string[];
  backoff: { baseMs: number; maxMs: number; jitter: "full" | "none" };
}

/** resilience4j's CircuitBreakerConfig names (times in ms). */
export type CircuitBreakerSpec = CircuitBreakerConfig;

/** Envoy's outlier_detection names, in Istio's camelCase (times in ms). */
export type OutlierDetectionSpec = OutlierDetectionConfig;

/** Envoy's HealthCheck interval, timeout, unhealthy_threshold and healthy_threshold (times in ms). */
export type HealthCheckSpec = HealthCheckConfig;

export interface RateLimitSpec {
  maxTokens: number;
  tokensPerFill: number;
  fillIntervalMs: number;
  /** `instance`: each instance's inbound sidecar limits all callers; `proxy`: each caller's sidecar limits its own calls. */
  per: "instance" | "proxy";
}

export interface SubsetSpec {
  name: string;
  /** An instance belongs to the subset when its version's labels include all of these. */
  labels: Record<string, string>;
}

export interface RouteSpec {
  /** Any one of these must hold (Istio: a list of matches is OR); each requires all its attributes (AND). Empty: matches every request. */
  match: Record<string, string>[];
  /** Weighted destinations (weights sum to 100); `subset` null means all instances of the service. */
  destinations: { subset: string | null; weight: number }[];
}

/** Envoy/Istio load-balancing policies with Envoy's names: each its factory's config (mesh/balancers/index.ts). */
export type LoadBalancerSpec =
  | { policy: "random" }
  | { policy: "round-robin"; slowStart: SlowStartSpec | null }
  | { policy: "weighted-round-robin"; slowStart: SlowStartSpec | null }
  | {
      policy: "least-request";
      choiceCount: number;
      activeRequestBias: number;
      slowStart: SlowStartSpec | null;
    }
  | { policy: "peak-ewma"; decayTimeMs: number; defaultRttMs: number }
  | {
      policy: "ring-hash";
      hashKey: string;
      minimumRingSize: number;
      maximumRingSize: number;
      hashBalanceFactor: number | null;
    }
  | { policy: "maglev"; hashKey: string; tableSize: number; hashBalanceFactor: number | null };

export type LoadBalancerPolicy = LoadBalancerSpec["policy"];

/** Envoy slow_start_config (Istio `warmup`): a new host's weight ramps up over the window. */
export interface SlowStartSpec {
  windowMs: number;
  aggression: number;
  minWeightPercent: number;
}

/** Istio localityLbSetting (failover by zone) with Envoy's overprovisioning factor. */
export interface LocalitySpec {
  /** Istio's default is on; it takes effect only where outlier detection is set, as in Istio. */
  enabled: boolean;
  /** Envoy overprovisioning_factor in percent (140 = 1.4). */
  overprovisioningFactor: number;
}

export interface OperationSpec {
  name: string;
  serviceTime: Distribution;
  /** Probability in [0, 1] that the operation answers 500 after its service time. */
  errorRate: number;
  /** Downstream calls, run in order after the service time. */
  calls: CallStep[];
}

export interface OperationRef {
  service: string;
  operation: string;
}

export type CallStep =
  | { kind: "call"; target: OperationRef; probability: number }
  | { kind: "parallel"; steps: CallStep[]; probability: number };

export type ArrivalProcess = "poisson" | "uniform";

/** A k6-style stage: move linearly to `target` over `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

interface LoadCommon {
  name: string;
  target: OperationRef;
  startTimeMs: number;
  /** How long the executor runs; by default until the end of the run. */
  durationMs: number;
  /** Independent client proxies sharing this load. */
  clients: number;
  /** The zone the clients run in, or null for clients outside every zone (no cross-zone cost). */
  zone: string | null;
  /** The key each request carries (what hashing balancers hash and caches store), or null. */
  keys: KeySpec | null;
  /** Header-like attributes drawn per request (e.g. tier: vip 10%), seen by routing rules on every hop. */
  attributes: AttributeSpec[];
}

export interface AttributeSpec {
  name: string;
  /** Values and their probabilities, summing to 1. */
  values: { value: string; probability: number }[];
}

export interface KeySpec {
  /** The key's name, e.g. userId: what a hashing policy's `hashKey` refers to. */
  name: string;
  count: number;
  distribution: { kind: "uniform" } | { kind: "zipf"; exponent: number };
}

export type LoadSpec =
  | (LoadCommon & { executor: "constant-arrival-rate"; ratePerMs: number; arrival: ArrivalProcess })
  | (LoadCommon & {
      executor: "ramping-arrival-rate";
      /** Rates are per millisecond; stage targets too. */
      startRatePerMs: number;
      stages: Stage[];
      arrival: ArrivalProcess;
    })
  | (LoadCommon & { executor: "constant-vus"; vus: number; thinkTime: Distribution })
  | (LoadCommon & {
      executor: "ramping-vus";
      startVUs: number;
      stages: Stage[];
      thinkTime: Distribution;
    });

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

/** Istio security: who each workload is, how it accepts connections, and who may call what. */
export interface SecuritySpec {
  /** The trust domain of every SPIFFE id (Istio's default cluster.local). */
  trustDomain: string;
  /** The mesh-wide PeerAuthentication mode (Istio's default PERMISSIVE). */
  mtls: MtlsMode;
  /** Time a new mTLS connection adds to the first try sent on it. */
  handshakeTime: Distribution;
  /** By service index: its identity, and its own PeerAuthentication mode (an override, else the mesh's). */
  services: { identity: WorkloadIdentity; mtls: MtlsMode }[];
  /** By load index: the identity its clients' sidecars present, or null for clients without a sidecar (plaintext). */
  loads: (WorkloadIdentity | null)[];
  /** In file order. */
  authorizationPolicies: AuthorizationPolicySpec[];
}

/** An AuthorizationPolicy and the workload it selects: one service, or null for every service (a root-namespace policy). */
export interface AuthorizationPolicySpec extends AuthorizationPolicy {
  service: string | null;
}
