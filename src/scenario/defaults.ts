// Every default a scenario file may leave out, once, named after the real system's knob and saying
// whose default it is (meshsim's own where no real system has one). The schema (schema/), the
// converters (convert/) and the builders all read them from here; code past the loader is handed
// complete specs and keeps no defaults of its own. Constants a file cannot set (CrashLoopBackOff's
// steps, the HPA's scaling policies, Envoy's limits) stay with their models. Times are ms.
import type {
  ConsulIntervalCheck,
  ConsulSpec,
  EurekaSpec,
  KubernetesSpec,
  NacosSpec,
  ZooKeeperSpec,
} from "../control/registry/presets.ts";
import type { MaglevHashFunction } from "../mesh/hashing/hashFunction.ts";
import { MAXIMUM_RING_SIZE, type RingOptions } from "../mesh/hashing/ring.ts";
import { ENVOY_OVERPROVISIONING_FACTOR } from "../mesh/locality/priority.ts";
import { ENVOY_UNLIMITED } from "../mesh/resilience/connectionPool.ts";
import type {
  CircuitBreakerSpec,
  LifecycleSpec,
  LoadBalancerSpec,
  LocalitySpec,
  OutlierDetectionSpec,
  RetrySpec,
} from "./types.ts";

/**
 * The modelled broker (src/transactions/messaging/): RabbitMQ quorum queues with manual acks.
 * consumer_timeout 30 min and delivery-limit 20 are RabbitMQ 4's defaults; a client reconnects
 * every 5 s (the Java client's networkRecoveryInterval); the outbox relay polls every 100 ms
 * (Debezium's outbox poll.interval.ms is 500, hand-written pollers 100 ms to 1 s: meshsim's
 * choice); consumer dedup keeps message ids 30 min (MassTransit's inbox DuplicateDetectionWindow);
 * delivery and publish legs take 1 ms (meshsim's own: an in-zone broker hop).
 */
export const MESSAGING = {
  deliveryDelay: "1ms",
  publishLatency: "1ms",
  ackTimeoutMs: 30 * 60_000,
  maxDeliveries: 20,
  reconnectIntervalMs: 5_000,
  relayIntervalMs: 100,
  dedupRetentionMs: 30 * 60_000,
};

/** Stripe idempotency keys: kept at least 24 hours; a concurrent duplicate is refused with 409. */
export const STRIPE_IDEMPOTENCY = {
  retentionMs: 24 * 3_600_000,
  concurrent: "conflict" as const,
  scope: "request" as const,
};

// ---------------------------------------------------------------------------------------------
// The run and the model (meshsim's own).

/** The run stops after this many events (a reported outcome, never a hang). */
export const MAX_EVENTS = 2_000_000_000;

/**
 * One-way latency of every hop, what crossing a zone adds (cross-AZ in one region: 0.3–1 ms), and
 * what crossing a region adds instead (e.g. us-east-1 ↔ eu-west-1: about 70 ms round trip, so 35 ms
 * each way; used only where `regions` places zones in different regions).
 */
export const NETWORK = {
  latency: "lognormal(0.25ms, 0.5)",
  crossZoneLatency: "lognormal(0.5ms, 0.5)",
  crossRegionLatency: "lognormal(35ms, 0.1)",
};

/** A version that sets nothing: one instance of weight 1 at normal speed (also the implied `default` version). */
export const VERSION = { instances: 1, weight: 1, serviceTimeFactor: 1 };

/** k6 executors: timeUnit 1 s, startVUs 1 (k6's defaults). */
export const K6 = { timeUnitMs: 1_000, startVUs: 1 };

// ---------------------------------------------------------------------------------------------
// Load balancing (Envoy; Istio picks the policy).

/** Envoy LEAST_REQUEST: choice_count 2, active_request_bias 1.0. */
export const ENVOY_LEAST_REQUEST = { choiceCount: 2, activeRequestBias: 1 };

/** Istio's policy when a DestinationRule names none: LEAST_REQUEST (since Istio 1.14), no slow start. */
export const ISTIO_LOAD_BALANCER: Readonly<LoadBalancerSpec> = Object.freeze({
  policy: "least-request",
  ...ENVOY_LEAST_REQUEST,
  slowStart: null,
});

/** Envoy slow_start_config: aggression 1.0 (a linear ramp), min_weight_percent 10. */
export const ENVOY_SLOW_START = { aggression: 1, minWeightPercent: 10 };

/** Finagle's peak-EWMA decay time τ (10 s) and Linkerd's default_rtt (30 ms) for unseen hosts. */
export const PEAK_EWMA = { decayTimeMs: 10_000, defaultRttMs: 30 };

/**
 * Envoy RING_HASH: minimum_ring_size 1024; maximum_ring_size's default is its limit, 8M;
 * hash_function XX_HASH (xxHash64).
 */
export const ENVOY_RING_HASH: Readonly<RingOptions> = Object.freeze({
  minimumRingSize: 1024,
  maximumRingSize: MAXIMUM_RING_SIZE,
  hashFunction: "XX_HASH",
});

/** Envoy MAGLEV: table_size 65537, the paper's recommended prime (§5.3); xxHash64, Envoy's only hash. */
export const ENVOY_MAGLEV: Readonly<{ tableSize: number; hashFunction: MaglevHashFunction }> =
  Object.freeze({ tableSize: 65_537, hashFunction: "XX_HASH" });

/** Istio localityLbSetting: on mesh-wide; Envoy's overprovisioning_factor 140 (1.4, a model constant too). */
export const ISTIO_LOCALITY: Readonly<LocalitySpec> = Object.freeze({
  enabled: true,
  overprovisioningFactor: ENVOY_OVERPROVISIONING_FACTOR,
  failover: [],
  failoverPriority: [],
  distribute: [],
});

// ---------------------------------------------------------------------------------------------
// Fault recovery (Istio's and Envoy's; resilience4j's for the breaker; gRPC's for hedging).

/** Istio's retryOn when a route sets no retry policy (pilot retry.go, 1.24+: 503 no longer included). */
export const ISTIO_RETRY_ON: readonly string[] = Object.freeze([
  "connect-failure",
  "refused-stream",
  "unavailable",
  "cancelled",
  "retriable-status-codes",
]);

/** Envoy's retry back-off: base_interval 25 ms (upstream.base_retry_backoff_ms); max_interval 10 × base; full jitter. */
export const ENVOY_RETRY_BACKOFF = { baseMs: 25, maxPerBase: 10, jitter: "full" as const };

/** Istio's retry policy when a VirtualService sets none: 2 attempts on connection-level failures. */
export const ISTIO_RETRIES: Readonly<RetrySpec> = Object.freeze({
  attempts: 2,
  perTryTimeoutMs: null,
  retryOn: [...ISTIO_RETRY_ON],
  backoff: {
    baseMs: ENVOY_RETRY_BACKOFF.baseMs,
    maxMs: ENVOY_RETRY_BACKOFF.maxPerBase * ENVOY_RETRY_BACKOFF.baseMs,
    jitter: ENVOY_RETRY_BACKOFF.jitter,
  },
});

/** Envoy's retry_budget when set with neither field (circuit_breaker.proto): 20% and 3. */
export const ENVOY_RETRY_BUDGET = { budgetPercent: 20, minRetryConcurrency: 3 };

/** Envoy's own max_retries default (3), which Istio replaces: it caused 503s during pod churn. */
export const ENVOY_MAX_RETRIES = 3;
/** Istio's max_retries for every cluster: math.MaxUint32, i.e. no static cap. */
export const ISTIO_MAX_RETRIES = ENVOY_UNLIMITED;

/** Istio http2MaxRequests, http1MaxPendingRequests and tcp.maxConnections: unlimited (2^32 − 1). */
export const ISTIO_CONNECTION_POOL = Object.freeze({
  maxRequests: ENVOY_UNLIMITED,
  maxPendingRequests: ENVOY_UNLIMITED,
  maxConnections: ENVOY_UNLIMITED,
});

/** Envoy's own cluster thresholds without Istio: max_requests and max_pending_requests 1024. */
export const ENVOY_CONNECTION_POOL = Object.freeze({ maxRequests: 1024, maxPendingRequests: 1024 });

/** Istio tcp.connectTimeout: 10 s. */
export const ISTIO_CONNECT_TIMEOUT_MS = 10_000;

/** Envoy healthy_panic_threshold: 50%. */
export const ENVOY_HEALTHY_PANIC_THRESHOLD = 50;

/** gRPC hedging: the copies sent in all (gRPC requires it; meshsim's default 2), losers cancelled. */
export const GRPC_HEDGING = { maxAttempts: 2, cancelLosers: true };

/** Envoy local rate limit: tokens_per_fill 1; meshsim's `per` default: each instance's inbound sidecar. */
export const ENVOY_LOCAL_RATE_LIMIT = { tokensPerFill: 1, per: "instance" as const };

/** resilience4j's CircuitBreakerConfig defaults. */
export const RESILIENCE4J_CIRCUIT_BREAKER: Readonly<CircuitBreakerSpec> = Object.freeze({
  slidingWindowType: "COUNT_BASED",
  slidingWindowSize: 100,
  minimumNumberOfCalls: 100,
  failureRateThreshold: 50,
  slowCallRateThreshold: 100,
  slowCallDurationThresholdMs: 60_000,
  waitDurationInOpenStateMs: 60_000,
  permittedNumberOfCallsInHalfOpenState: 10,
  automaticTransitionFromOpenToHalfOpenEnabled: false,
  maxWaitDurationInHalfOpenStateMs: 0,
});

/** Envoy's outlier_detection defaults, with Istio's where it overrides them (gateway errors off, success rate not enforced). */
export const ISTIO_OUTLIER_DETECTION: Readonly<OutlierDetectionSpec> = Object.freeze({
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 10,
  alwaysEjectOneHost: false,
  successRateMinimumHosts: 5,
  successRateRequestVolume: 100,
  successRateStdevFactor: 1900,
  enforcingSuccessRate: 0,
  failurePercentageThreshold: 85,
  enforcingFailurePercentage: 0,
  failurePercentageMinimumHosts: 5,
  failurePercentageRequestVolume: 50,
});

/** Istio fault injection: percentage.value 100 (every call) when a delay or abort gives none. */
export const ISTIO_FAULT_INJECTION = { percentage: 100 };

// ---------------------------------------------------------------------------------------------
// Pods (Kubernetes).

/** Pod lifecycle: no startup time, no preStop hook, terminationGracePeriodSeconds 30, restartPolicy Always. */
export const KUBERNETES_POD: Readonly<LifecycleSpec> = Object.freeze({
  startupTimeMs: 0,
  preStopDelayMs: 0,
  terminationGracePeriodMs: 30_000,
  restartPolicy: "Always",
});

/**
 * HorizontalPodAutoscaler (autoscaling/v2 and kube-controller-manager flags): minReplicas 1, 80%
 * average CPU utilization, --horizontal-pod-autoscaler-sync-period 15 s; scale-up stabilization 0,
 * scale-down 300 s (--horizontal-pod-autoscaler-downscale-stabilization); tolerance 0.1 each way.
 */
export const KUBERNETES_HPA = {
  minReplicas: 1,
  targetCPUUtilizationPercentage: 80,
  syncPeriodMs: 15_000,
  scaleUp: Object.freeze({ stabilizationWindowMs: 0, tolerance: 0.1 }),
  scaleDown: Object.freeze({ stabilizationWindowMs: 300_000, tolerance: 0.1 }),
};

/** A Deployment's RollingUpdate strategy: maxSurge and maxUnavailable 25%. */
export const KUBERNETES_ROLLING_UPDATE = {
  maxSurge: "25%" as const,
  maxUnavailable: "25%" as const,
};

// ---------------------------------------------------------------------------------------------
// Service registries (registry presets), under the real parameter names with the unit dropped.

/** meshsim's: a change pushed by a server reaches each proxy after U[0, pushDelay) (network, client, sidecar). */
const PUSH_DELAY_MS = 100;

/** Netflix Eureka server and client defaults, with Spring Cloud LoadBalancer's cache TTL. */
export const EUREKA_DEFAULTS: Readonly<EurekaSpec> = Object.freeze({
  kind: "eureka",
  leaseRenewalIntervalMs: 30_000,
  leaseExpirationDurationMs: 90_000,
  evictionIntervalMs: 60_000,
  useReadOnlyResponseCache: true,
  responseCacheUpdateIntervalMs: 30_000,
  registryFetchIntervalMs: 30_000,
  clientCacheTtlMs: 35_000,
  enableSelfPreservation: true,
  renewalPercentThreshold: 0.85,
  expectedClientRenewalIntervalMs: 30_000,
  renewalThresholdUpdateIntervalMs: 15 * 60_000,
});

/** Nacos 1.x naming defaults (preserved.heart.beat.*, pushTaskDelay, the client's 10 s poll). */
export const NACOS_DEFAULTS: Readonly<NacosSpec> = Object.freeze({
  kind: "nacos",
  heartBeatIntervalMs: 5_000,
  heartBeatTimeoutMs: 15_000,
  ipDeleteTimeoutMs: 30_000,
  beatCheckIntervalMs: 5_000,
  protectThreshold: 0,
  pushTaskDelayMs: 500,
  pollIntervalMs: 10_000,
  pushDelayMs: PUSH_DELAY_MS,
});

/** The default Consul check: an HTTP check every 10 s (Spring Cloud Consul) with Consul's 10 s timeout. */
export const CONSUL_INTERVAL_CHECK: Readonly<ConsulIntervalCheck> = Object.freeze({
  type: "interval",
  intervalMs: 10_000,
  timeoutMs: 10_000,
});

/** HashiCorp Consul agent defaults: success_before_passing and failures_before_critical 0, no deregistration. */
export const CONSUL_DEFAULTS: Readonly<ConsulSpec> = Object.freeze({
  kind: "consul",
  check: CONSUL_INTERVAL_CHECK,
  successBeforePassing: 0,
  failuresBeforeCritical: 0,
  deregisterCriticalServiceAfterMs: null,
  pushDelayMs: PUSH_DELAY_MS,
});

/** Spring Cloud Consul's heartbeat period for a TTL check: ttl × 2/3, at least 1 s, at most ttl − 1 s. */
export function consulHeartbeatIntervalMs(ttlMs: number): number {
  return Math.round(Math.min(ttlMs - 1_000, Math.max((ttlMs * 2) / 3, 1_000)));
}

/** Kubernetes readiness probes (periodSeconds 10, timeoutSeconds 1, thresholds 3 and 1), PLEG 1 s, istiod's debounce. */
export const KUBERNETES_DEFAULTS: Readonly<KubernetesSpec> = Object.freeze({
  kind: "kubernetes",
  periodMs: 10_000,
  timeoutMs: 1_000,
  failureThreshold: 3,
  successThreshold: 1,
  plegRelistPeriodMs: 1_000,
  debounceAfterMs: 100,
  debounceMaxMs: 10_000,
  pushDelayMs: PUSH_DELAY_MS,
});

/**
 * ZooKeeper's tickTime 2 s, and the session timeout Curator's default 60 s request is negotiated
 * to: maxSessionTimeout, 20 ticks = 40 s. Watch events and reads take meshsim's delays.
 */
export const ZOOKEEPER_DEFAULTS: Readonly<ZooKeeperSpec> = Object.freeze({
  kind: "zookeeper",
  tickTimeMs: 2_000,
  sessionTimeoutMs: 40_000,
  pushDelayMs: PUSH_DELAY_MS,
  roundTripMs: 10,
});

// ---------------------------------------------------------------------------------------------
// Observing the run.

/** Prometheus scrape_interval: 15 s, the value of its shipped prometheus.yml (the built-in global default is 1 m). */
export const PROMETHEUS_SCRAPE_INTERVAL_MS = 15_000;

/** meshsim's: at most this many stored points per series. */
export const MAX_POINTS = 2000;

/** Prometheus client_golang DefBuckets (.005 ... 10 seconds), in ms; +Inf is implied. */
export const PROMETHEUS_BUCKETS_MS: readonly number[] = Object.freeze([
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
]);

/** The SRE workbook's two paging window pairs for a 30-day SLO (table 5-8). */
export const SRE_WORKBOOK_WINDOWS = Object.freeze([
  { long: "1h", short: "5m", burnRate: 14.4, severity: "page" },
  { long: "6h", short: "30m", burnRate: 6, severity: "page" },
] as const);

/** Tracing: the OTel parent-based TraceIdRatio sampler at 1% (meshsim's choice; OTel's SDK default is always_on). */
export const TRACING = { sampler: "parentbased_traceidratio" as const, ratio: 0.01 };

/**
 * meshsim's: OTLP times are simulated time after this fixed instant, so exported files are
 * deterministic (declared in result/tracing.ts, where the report's exports read it too).
 */
export { DEFAULT_TRACING_EPOCH as TRACING_EPOCH } from "../result/tracing.ts";

/** meshsim's: at most this many traces are kept. */
export const MAX_TRACES = 10_000;

// ---------------------------------------------------------------------------------------------
// Security (Istio) and config pushes.

/** Istio: trust domain cluster.local; services in namespace `default`; mesh-wide PeerAuthentication PERMISSIVE. */
export const ISTIO_SECURITY = {
  trustDomain: "cluster.local",
  namespace: "default",
  mtls: "PERMISSIVE" as const,
};

/** meshsim's: an mTLS handshake is one extra round trip plus two RSA-2048 signatures (mesh/security/inbound.ts). */
export const HANDSHAKE_TIME = "lognormal(2.5ms, 0.4)";

/** Istio PILOT_DEBOUNCE_AFTER: the quiet period istiod waits before it pushes. */
export const ISTIO_DEBOUNCE_AFTER_MS = 100;

/**
 * meshsim's per-proxy delivery of a config push after the debounce: mean 300 ms, 96% within 1 s.
 * An assumption in line with Apollo's ≤1 s message scan plus its 100 ms notification batches, and
 * with istiod's sub-second pushes to a mesh of tens of proxies; the tail is the proxy slow to ACK.
 */
export const PROPAGATION_DELAY = "exp(300ms)";
