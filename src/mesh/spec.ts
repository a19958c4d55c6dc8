// The sidecar's own settings, as the loader hands them over typed and defaulted: each upstream's
// traffic policy (Istio DestinationRule and VirtualService: balancing, subsets, routes, and the
// resilience settings timeouts, retries, hedging, breakers, outlier detection, limits, health
// checks) and the mesh's security (Istio PeerAuthentication, workload identities and
// AuthorizationPolicy). Names and defaults are Istio's and Envoy's; times are simulated ms.

import type { Distribution } from "../kernel/distribution.ts";
import type { HashFunction, MaglevHashFunction } from "./hashing/hashFunction.ts";
import type { DistributeRule, FailoverRule } from "./locality/istioLocality.ts";
import type { CircuitBreakerConfig } from "./resilience/circuitBreaker.ts";
import type { OutlierDetectionConfig } from "./resilience/outlierDetection.ts";
import type { AuthorizationPolicy } from "./security/authorization.ts";
import type { WorkloadIdentity } from "./security/identity.ts";
import type { MtlsMode } from "./security/peerAuthentication.ts";

/** One upstream's policy, as every caller's proxy applies it. */
export interface TrafficPolicy {
  loadBalancer: LoadBalancerSpec;
  /** DestinationRule subsets: named groups of instances selected by labels. */
  subsets: SubsetSpec[];
  /**
   * VirtualService HTTP routes, first match wins; empty means every request goes to all instances.
   */
  routes: RouteSpec[];
  /** Timeouts, retries, hedging, breakers, outlier detection, limits: how the proxy recovers. */
  resilience: ResilienceSpec;
  /** Locality-prioritised balancing (P0: the caller's zone); `enabled: false` turns it off. */
  locality: LocalitySpec;
}

/**
 * The fault-recovery settings of one upstream (Istio/Envoy names; resilience4j for the breaker).
 */
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
  /**
   * Envoy local rate limit (token bucket), per calling proxy or per instance of this service; or
   * null.
   */
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

/**
 * Envoy's HealthCheck interval, timeout, unhealthy_threshold and healthy_threshold (times in ms),
 * all required as in Envoy; control/registry/activeHealthCheck.ts runs the checks.
 */
export interface HealthCheckSpec {
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

export interface RateLimitSpec {
  maxTokens: number;
  tokensPerFill: number;
  fillIntervalMs: number;
  /**
   * `instance`: each instance's inbound sidecar limits all callers; `proxy`: each caller's sidecar
   * limits its own calls.
   */
  per: "instance" | "proxy";
}

export interface SubsetSpec {
  name: string;
  /** An instance belongs to the subset when its version's labels include all of these. */
  labels: Record<string, string>;
}

export interface RouteSpec {
  /**
   * Any one of these must hold (Istio: a list of matches is OR); each requires all its attributes
   * (AND). Empty: matches every request.
   */
  match: Record<string, string>[];
  /**
   * Weighted destinations (weights sum to 100); `subset` null means all instances of the service.
   */
  destinations: { subset: string | null; weight: number }[];
}

/**
 * Envoy/Istio load-balancing policies with Envoy's names: each its factory's config
 * (mesh/balancers/index.ts).
 */
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
      /** Envoy `hash_function` (XX_HASH, MURMUR_HASH_2) or meshsim's former MURMUR3_32. */
      hashFunction: HashFunction;
      hashBalanceFactor: number | null;
    }
  | {
      policy: "maglev";
      hashKey: string;
      tableSize: number;
      /** XX_HASH (Envoy's) or meshsim's former MURMUR3_32. */
      hashFunction: MaglevHashFunction;
      hashBalanceFactor: number | null;
    };

export type LoadBalancerPolicy = LoadBalancerSpec["policy"];

/** Envoy slow_start_config (Istio `warmup`): a new host's weight ramps up over the window. */
export interface SlowStartSpec {
  windowMs: number;
  aggression: number;
  minWeightPercent: number;
}

/** Istio localityLbSetting (region/zone/subzone priorities) with Envoy's overprovisioning factor. */
export interface LocalitySpec {
  /** Istio's default is on; it takes effect only where outlier detection is set, as in Istio. */
  enabled: boolean;
  /** Envoy overprovisioning_factor in percent (140 = 1.4). */
  overprovisioningFactor: number;
  /** Istio `failover`: from region → to region (needs outlier detection, as priorities do). */
  failover: readonly FailoverRule[];
  /** Istio `failoverPriority`: pod labels ordering the priority levels (`name` or `name=value`). */
  failoverPriority: readonly string[];
  /** Istio `distribute`: weighted locality shares (no priorities then; applies without outlier detection). */
  distribute: readonly DistributeRule[];
}

/** Istio security: who each workload is, how it accepts connections, and who may call what. */
export interface SecuritySpec {
  /** The trust domain of every SPIFFE id (Istio's default cluster.local). */
  trustDomain: string;
  /** The mesh-wide PeerAuthentication mode (Istio's default PERMISSIVE). */
  mtls: MtlsMode;
  /** Time a new mTLS connection adds to the first try sent on it. */
  handshakeTime: Distribution;
  /**
   * By service index: its identity, and its own PeerAuthentication mode (an override, else the
   * mesh's).
   */
  services: { identity: WorkloadIdentity; mtls: MtlsMode }[];
  /**
   * By load index: the identity its clients' sidecars present, or null for clients without a
   * sidecar (plaintext).
   */
  loads: (WorkloadIdentity | null)[];
  /** In file order. */
  authorizationPolicies: AuthorizationPolicySpec[];
}

/**
 * An AuthorizationPolicy and the workload it selects: one service, or null for every service (a
 * root-namespace policy).
 */
export interface AuthorizationPolicySpec extends AuthorizationPolicy {
  service: string | null;
}
