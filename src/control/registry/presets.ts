// The registry presets: `registry: { kind: eureka | nacos | consul | kubernetes | zookeeper, ...overrides }`,
// each with its real system's parameters under their real names (camelCase, durations in
// milliseconds here, written like `30s` in a scenario; the defaults are in scenario/defaults.ts). Where a parameter name ends in a unit
// (Eureka `leaseRenewalIntervalInSeconds`, Kubernetes `periodSeconds`), the unit is dropped.
// `pushDelay` is meshsim's own: the time from a server sending a change to one proxy having it
// (network, client, the sidecar applying it), drawn per proxy and push uniformly from [0, pushDelay].
/** Netflix Eureka server and client, with a Spring Cloud LoadBalancer cache in the client. */
export interface EurekaSpec {
  kind: "eureka";
  /** Client `leaseRenewalIntervalInSeconds` 30: how often an instance renews its lease. */
  leaseRenewalIntervalMs: number;
  /** Client `leaseExpirationDurationInSeconds` 90 (renew() adds it twice: expiry 180 s after the last renew). */
  leaseExpirationDurationMs: number;
  /** Server `evictionIntervalTimerInMs` 60000. */
  evictionIntervalMs: number;
  /** Server `shouldUseReadOnlyResponseCache` true: clients read a copy refreshed every responseCacheUpdateInterval. */
  useReadOnlyResponseCache: boolean;
  /** Server `responseCacheUpdateIntervalMs` 30000. */
  responseCacheUpdateIntervalMs: number;
  /** Client `registryFetchIntervalSeconds` 30. */
  registryFetchIntervalMs: number;
  /** Spring Cloud LoadBalancer `spring.cloud.loadbalancer.cache.ttl` 35 s; 0: no cache (balance over the Eureka client's list). */
  clientCacheTtlMs: number;
  /** Server `enableSelfPreservation` true. */
  enableSelfPreservation: boolean;
  /** Server `renewalPercentThreshold` 0.85. */
  renewalPercentThreshold: number;
  /** Server `expectedClientRenewalIntervalSeconds` 30. */
  expectedClientRenewalIntervalMs: number;
  /** Server `renewalThresholdUpdateIntervalMs` 15 min. */
  renewalThresholdUpdateIntervalMs: number;
}

/** Nacos naming with 1.x-style heartbeats (ephemeral instances), push to subscribers and client polling. */
export interface NacosSpec {
  kind: "nacos";
  /** `preserved.heart.beat.interval` 5 s (client BeatReactor). */
  heartBeatIntervalMs: number;
  /** `preserved.heart.beat.timeout` 15 s: no beat for longer marks the instance unhealthy. */
  heartBeatTimeoutMs: number;
  /** `preserved.ip.delete.timeout` 30 s: no beat for longer deletes it. */
  ipDeleteTimeoutMs: number;
  /** The server's ClientBeatCheckTask period, 5 s (fixed in HealthCheckReactor.scheduleCheck). */
  beatCheckIntervalMs: number;
  /** Service `protectThreshold` 0: when healthy/total <= it, the server returns every instance. */
  protectThreshold: number;
  /** `nacos.naming.push.pushTaskDelay` 500 ms: changes within it are pushed together. */
  pushTaskDelayMs: number;
  /** Client polling of subscribed services (Nacos 1.x HostReactor at the push cache time, 10 s); 0: push only. */
  pollIntervalMs: number;
  pushDelayMs: number;
}

/** HashiCorp Consul: agent checks (TTL or interval), catalog sync, blocking-query watches. */
export interface ConsulSpec {
  kind: "consul";
  /** The check: `ttl` (the app must pass it within ttl) or an HTTP check every `interval`. */
  check: ConsulTtlCheck | ConsulIntervalCheck;
  /** `success_before_passing` 0 (interval checks). */
  successBeforePassing: number;
  /** `failures_before_critical` 0 (interval checks): 0 and 1 both mean the first failure. */
  failuresBeforeCritical: number;
  /** `deregister_critical_service_after`, or null (never); Consul's minimum is 1 minute. */
  deregisterCriticalServiceAfterMs: number | null;
  pushDelayMs: number;
}

export interface ConsulTtlCheck {
  type: "ttl";
  ttlMs: number;
  /** How often the app passes its TTL check: Spring Cloud Consul's min(ttl − 1 s, max(ttl × 2/3, 1 s)). */
  heartbeatIntervalMs: number;
}

export interface ConsulIntervalCheck {
  type: "interval";
  /** Spring Cloud Consul `healthCheckInterval` 10 s. */
  intervalMs: number;
  /** Consul's HTTP check timeout, 10 s. */
  timeoutMs: number;
}

/** Kubernetes readiness probes and Endpoints, pushed to Envoy sidecars by istiod (EDS). */
export interface KubernetesSpec {
  kind: "kubernetes";
  /** Readiness probe `periodSeconds` 10. */
  periodMs: number;
  /** Readiness probe `timeoutSeconds` 1. */
  timeoutMs: number;
  /** Readiness probe `failureThreshold` 3. */
  failureThreshold: number;
  /** Readiness probe `successThreshold` 1. */
  successThreshold: number;
  /** Kubelet PLEG relist period, 1 s: how soon a dead container is noticed. */
  plegRelistPeriodMs: number;
  /** Istio `PILOT_DEBOUNCE_AFTER` 100 ms. */
  debounceAfterMs: number;
  /** Istio `PILOT_DEBOUNCE_MAX` 10 s. */
  debounceMaxMs: number;
  pushDelayMs: number;
}

/**
 * Apache ZooKeeper with Curator's service discovery: each instance an ephemeral znode of its
 * session, each proxy a Curator ServiceCache kept by one-shot watches (zookeeper.ts).
 */
export interface ZooKeeperSpec {
  kind: "zookeeper";
  /** Server `tickTime` 2000 ms: the session tracker's expiry buckets, and the unit of the session bounds. */
  tickTimeMs: number;
  /**
   * The negotiated session timeout: Curator asks for 60 s, the server grants at most
   * maxSessionTimeout = 20 × tickTime (40 s) and at least minSessionTimeout = 2 × tickTime.
   */
  sessionTimeoutMs: number;
  /** meshsim's: a watch event reaches each client after U[0, pushDelay). */
  pushDelayMs: number;
  /** meshsim's: a client's read (getChildren, getData) from sending it to its answer; the server reads at half of it. */
  roundTripMs: number;
}

/** ZooKeeper's default bounds on a session timeout, in ticks (minSessionTimeout, maxSessionTimeout). */
export const ZOOKEEPER_MIN_SESSION_TICKS = 2;
export const ZOOKEEPER_MAX_SESSION_TICKS = 20;

/** One member per kind; each kind's model is registered in kinds.ts. */
export type RegistrySpec = EurekaSpec | NacosSpec | ConsulSpec | KubernetesSpec | ZooKeeperSpec;

export type RegistryKind = RegistrySpec["kind"];

/** Consul's reaper runs every 30 s; `deregister_critical_service_after` below 1 minute is raised to it. */
export const CONSUL_REAP_INTERVAL_MS = 30_000;
export const CONSUL_MIN_DEREGISTER_MS = 60_000;
